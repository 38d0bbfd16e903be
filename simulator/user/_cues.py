"""The cue lexicons the move classifier reads: what marks a sentence as a question, an
offer, a stall, a refusal, a "not final yet", a result or a completed action.

Every pattern reads lower-case text unless it says otherwise. ``_moves`` applies them to
each sentence of an agent turn; ``benchmarks/agent_moves.py`` measures the result.
"""

from __future__ import annotations

import re

from simulator.user._gate import gated

_ACK_WORDS = (
    r"sure|certainly|of course|absolutely|no problem|no worries|got it|understood|noted|"
    r"okay|ok|alright|all right|right|perfect|great|excellent|awesome|wonderful|thanks|"
    r"thank you|hello|hi|hey|hi there|good morning|good afternoon|yes|yep|sounds good|"
    r"will do|on it|roger|gladly|happy to help|glad to help|my pleasure|"
    r"thanks for (?:your )?(?:patience|waiting|the details|that|confirming|clarifying|"
    r"the info(?:rmation)?|reaching out|bearing with me)|thank you for (?:your )?"
    r"(?:patience|waiting|the details|that|confirming|clarifying|the info(?:rmation)?|"
    r"reaching out|bearing with me)"
)

_ACK_ONLY = re.compile(rf"^(?:(?:{_ACK_WORDS})[\s,.!:;—–-]*)+(?:[\w']+[.!]?)?$")

_WORK_VERBS = (
    r"check|look|pull|see|find|verify|review|dig|search|query|get|grab|run|calculate|"
    r"compute|confirm|go through|gather|fetch|figure|work|crunch|tally|add|sum|count|"
    r"compare|examine|investigate|analy[sz]e|research|locate|retrieve|inspect|scan|sort|"
    r"double-check|cross-check|take a look|have a look|peek|dive|open|assign|route|update|"
    r"correct|fix|change|process|handle|put together|compile|prepare|start|begin|do|"
    r"make|try|identify|determine|track|hunt|match|evaluate|assess|tabulate|aggregate|"
    r"validate|test|reconcile|total|average|rank|read|note|flag|score|weigh|review|finish|"
    r"complete|wrap up|call|invoke|execute|group|drop|filter|exclude|split|merge|join|keep|"
    r"limit|restrict|break down|rank"
)

_WORK = gated(
    rf"\b(?:let me|lemme|let's|allow me to|i(?:'ll| will| am going to|'m going to| shall)|"
    rf"i(?:'d| would) (?:like|need) to|going to|i need to|i have to|i'm about to|"
    rf"i am about to|i'll just|i'll now|i'll go ahead and|i'll first|"
    rf"first,? i(?:'ll| will| need to)|next,? i(?:'ll| will)|then i(?:'ll| will)|"
    rf"(?:once|after|when) i(?:'ve| have)?)\b[^.!?]*?\b(?:{_WORK_VERBS})\w*"
    rf"|\bi(?:'m| am) (?:now |currently |still |just )?(?:checking|looking|pulling|searching|"
    rf"running|working|reviewing|querying|calculating|gathering|digging|fetching|going|"
    rf"processing|analy[sz]ing|computing|crunching|tallying|comparing|verifying|"
    rf"investigating|retrieving|compiling|preparing|getting|trying|assigning|updating|"
    rf"counting|reading|filing|summing|adding|averaging|totall?ing|scanning|validating|"
    rf"filtering|grouping|joining|matching|ranking|sorting|crunching|computing|"
    rf"cross-checking|double-checking|going through|looking into|on it)"
    rf"|^(?:step \d+(?:\s*(?:/|of)\s*\d+)?:?\s*|status:\s*|now |still |currently |next,? )?"
    rf"(?:checking|looking|searching|pulling|querying|fetching|running|reviewing|working|"
    rf"digging|loading|scanning|processing|verifying|calculating|crunching|analy[sz]ing|"
    rf"reading|opening|retrieving|gathering|thinking|tallying|adding|averaging|summing|"
    rf"grouping|sorting|ranking|comparing|counting|filtering|joining|matching|computing|"
    rf"aggregating|calling|invoking|executing|using|applying|following|loading|retrying|"
    rf"auditing|examining|inspecting|investigating|evaluating|assessing|tracing|scoring)\b"
    rf"(?![^.!?]*\b(?:would|could|might|should) (?:fix|solve|resolve|help|work|make|bring|put|"
    rf"cost|take|be)\b)"
    rf"|\b(?:one|just a|give me a|gimme a|bear with me for a|hang on a|hold on a|wait a) "
    rf"(?:moment|sec|second|minute|min|tick|jiffy)\b"
    rf"|\b(?:please )?(?:hold on|hang on|hang tight|bear with me|stand by|stay tuned|"
    rf"hold tight|please wait)\b"
    rf"|\bworking on (?:it|that|this|your)\b|(?:^|\bi'?m |\bi am |\bwe'?re )on it\b"
    rf"|\bright away\b|\bin a (?:moment|sec)\b"
    rf"|(?<!\bbe )(?<!\bbeen )(?<!\bis )(?<!\bare )\b(?:pulling|looking|checking|digging|"
    rf"searching|running|querying|fetching|crunching|tallying|working) (?:up |into |on |"
    rf"through |for |the |that |it |this |now)"
    rf"|\bthis (?:may|might|will|could) take\b|\bbe right back\b|\bget back to you\b"
    rf"|\b(?:an? )?(?:update|answer|reply|response|confirmation|result)s? will follow\b"
    rf"|\bwill (?:follow up|be in touch|update you|circle back|confirm (?:once|when|shortly))\b"
    rf"|\bwill (?:confirm|get back|follow up|reach out|contact you|call you|e-?mail you|"
    rf"be in touch)\b"
    rf"|^(?:now )?[a-z]+ing\b[^.!?]*\b(?:now|next)[.!…]*$"
    rf"|\bretry(?:ing)?\b|\btrying again\b|\b(?:starting|beginning) (?:now|on it|with)\b"
    rf"|\bi can (?:look into|check on|dig into|take a look|pull (?:that|those|it) up)\b"
    rf"|^(?:filing|submitting|creating|assigning|updating|routing|correcting|validating|"
    rf"totall?ing|reconciling|drafting|preparing|escalating|reassigning|moving)\b[^.!?]*"
    rf"\b(?:now|shortly|next)\b"
    rf"|\bsorry (?:for|about) the (?:wait|delay)\b|\bthanks for (?:your )?patience\b"
    rf"|\bstill (?:working|checking|looking|pulling|running|going|digging|searching)\b"
    rf"|\b(?:here'?s|here is) (?:my|the) (?:plan|approach)\b|\bmy plan\b"
    rf"|^(?:step \d|first|next|then|finally)\b[^.!?]*\b(?:i(?:'ll| will)|query|check|look|"
    rf"pull|filter|sum|count|compare|find|group|sort|identify|rank)\b"
)

_RESTATE = gated(
    r"\b(?:you(?:'d| would) like|you(?:'re| are) (?:looking|asking|interested|trying|"
    r"wanting|hoping)|you want|you need|you(?:'ve| have) asked|you asked|"
    r"^so,? you(?:'re| are| want| need|'d| would)|"
    r"if i understand|if i(?:'m| am) understanding|to confirm,? you|to make sure i|"
    r"to recap|(?:just )?to restate|restating|just to confirm|to summari[sz]e (?:your|the) "
    r"(?:request|ask|question)|in other words,? you|your (?:request|question) is|"
    r"what you(?:'re| are) after|"
    r"you(?:'re| are) after|understood,? you|got it,? you|i understand (?:you|that you)|"
    r"i see,? you|the goal is|the task is|the ask is|you'd like me|you would like me|"
    r"you're requesting|you are requesting|you mentioned|as you (?:said|mentioned))\b"
)

_PLEASANTRY = gated(
    r"\b(?:i can (?:definitely |certainly |absolutely )?(?:help|assist)|happy to (?:help|"
    r"assist|look)|glad to (?:help|assist)|i'd be (?:happy|glad|delighted) to|i would be "
    r"(?:happy|glad) to|great question|good question|excellent question|i understand|"
    r"i see|makes sense|that makes sense|no problem|sure thing|absolutely|of course|"
    r"certainly|thanks for|thank you for|appreciate|sorry (?:for|about|to hear)|"
    r"apologi[sz]e|apologies|(?:i'm|i am) (?:really |so |very |truly )?sorry|i know how|"
    r"i (?:completely |totally |fully )?understand|welcome|good (?:morning|afternoon|evening)|"
    r"hope you(?:'re| are)|"
    r"let's (?:get|figure|sort|take)|we can (?:sort|figure)|i(?:'m| am) (?:here|happy|glad))\b"
)

_CLOSING = gated(
    r"\b(?:(?<!than )(?<!of )(?<!above )(?<!beyond )(?<!or )(?<!if )anything else|"
    r"(?<!or )(?<!, )something else|"
    r"any other (?:questions|help|way)|"
    r"let me know if (?:you|there|that|this|anything|i)|feel free|if you(?:'d| would) like|"
    r"if you want|if you need|if that helps|hope (?:this|that|it) helps|does (?:this|that|"
    r"it) (?:help|answer|work|make sense|look right|cover)|is (?:this|that) (?:helpful|what "
    r"you|ok|okay|alright|all right|clear)|can i help|may i help|how else|"
    r"anything more|is there (?:anything|something)|happy to (?:help further|dig|break|"
    r"provide|share more|go|walk|pull|look|adjust|explain|elaborate)|i can also|"
    r"i could also|just let me know|let me know (?:what|how) you (?:think|want|would)|"
    r"need anything|need help with anything|if you have any|have a (?:great|good|nice)|"
    r"take care|you(?:'re| are) welcome|glad (?:i|to) (?:could )?help|do you need (?:anything|"
    r"more|help)|want (?:a|the|more) (?:breakdown|detail|details)|interested in (?:a|the|"
    r"seeing)(?![^?]*\bor\b)|if (?:you|that|this|anything)\b[^.?!]*\b(?:tell me|let me know)|"
    r"should you (?:require|need|have|wish|want)|if (?:there's|there is) anything)\b"
)

_CHOICE = gated(
    r"(?:^|[:;,—–-]\s*|\b(?:and|or|but|so|also|now|then)\s+)(?:would you like me to|would "
    r"you like (?:a|the|more|it|them|that|this)|would you prefer|do you want me to|"
    r"do you want (?:a|the|more)|(?:do you )?want (?:a|the|more|me to)|shall i|"
    r"should i|would it help|should we|shall we|"
    r"do you need me to|is it ok(?:ay)? if i|can i go ahead|may i go ahead|ok(?:ay)? to)\b"
)

_REQUEST = gated(
    r"\b(?:please|kindly|could you|can you|would you|will you|could i get you to|"
    r"would you mind|do you mind)\s+(?:please\s+)?(?:provide|share|send|confirm|tell|give|"
    r"let me know|specify|clarify|enter|supply|indicate|advise|forward|point me|remind|"
    r"describe|paste|type|drop|check (?:which|what|the|your)|double-check (?:the|your)|"
    r"give me|say|list|spell|look up your|find your)\b"
    r"|^(?:provide|share|send|confirm|specify|clarify|tell|give|remind) (?:me|us|your)\b"
    r"(?! (?:a|one|just a|a few) (?:moment|sec|second|minute|min|tick|bit|few|more))"
    r"|\blet me know (?:which|what|the|your|whether|how|when|who|where|if (?:you mean|it's|"
    r"this is|that's|it is|there's a|there is a)\b)"
    r"|\bi(?:'ll| will| would|'d)? (?:still |first |just |also )?need "
    r"(?!(?:a )?(?:few|couple(?: of)?|more|another) (?:more )?(?:seconds?|moments?|minutes?|mins?|"
    r"secs?)\b)(?:the|your|a|an|"
    r"to know|some|more|a few|you to|two|one|a couple|both|which|what|details|"
    r"clarification|confirmation|to check with you)\b"
    r"|\bi(?:'m| am) (?:missing|going to need|gonna need)\b"
    r"|\b(?:do|would) you (?:mind|happen to) (?:sharing|telling|confirming|providing|"
    r"know|have)\b"
    r"|\bcan i (?:get|have|ask)\b|\bmay i (?:have|ask|get)\b"
    r"|\bwhich one (?:do|did|should|would) you\b"
    r"|\b(?:go ahead and|feel free to) (?:list|tell|share|send|give|describe|paste|type|"
    r"provide|let me know)\b"
)

_SOFT_ASK = gated(r"\b(?:let me know|tell me)\b")

_HARD_ASK = gated(r"\b(?:provide|share|send|confirm|specify|clarify|which|what)\b")

_WH_START = re.compile(
    r"^(?:(?:and|also|so|but|now|then|ok(?:ay)?|sure|great|got it|thanks)[,!.]?\s+)?"
    r"(?:(?:for|in|on|from|by|at|with|to|over) )?(?:what|which|who|whom|when|where|how|why)"
    r"(?:'s|'re|\s+(?:is|are|was|were|do|does|did|should|would|could|can|will|shall|"
    r"kind|type|time|period|quarter|month|year|date|one|ones|of|order|product|opportunity|"
    r"quote|case|account|rep|book|item|sort|exactly|else|much|many|long|often|day|range|"
    r"timeframe|time frame|criteria|rule|stage|region|team|customer|version|title))\b"
)

_AUX_START = re.compile(
    r"^(?:(?:and|also|so|but|now|then|ok(?:ay)?|sure|great|got it)[,!.]?\s+)?"
    r"(?:is|are|was|were|do|does|did|can|could|would|should|will|shall|have|has|had|"
    r"may|might)\s+(?:it|this|that|there|you|we|i|they|these|those|the|your|he|she)\b"
)

_PARTIAL = gated(
    r"\bso far\b|\b(?:still|yet to) (?:need to |have to |be )?(?:check|verify|confirm|"
    r"review|pull|look|go|work|finish|process|add|count|calculate|compute|compare|search|"
    r"query|retrieve|gather|run)|\bhaven't (?:yet )?(?:finished|checked|gone|looked|"
    r"verified|confirmed|reviewed|pulled|counted|added|processed|calculated)\b"
    r"|\bnot (?:yet )?(?:done|finished|final|complete|conclusive)(?: yet)?\b|\bpreliminary\b"
    r"|\bpartial(?:ly)?\b|\bfirst (?:batch|part|pass|few|half of the results|results)\b"
    r"|\bmore (?:to come|coming)\b"
    r"|\bthe rest\b(?! (?:of (?:the|this|that|it) \w+ )?(?:looked|looks|was|were|is|are|"
    r"seemed|seems|appeared|checked out|passed|came))|\bremaining (?:ones|records|deals|cases|"
    r"items|leads|quotes|opportunities|reps|agents|months|rows|accounts|orders)\b"
    r"|\bonce i(?:'ve| have)? (?:checked|finished|confirmed|verified|gone|looked|pulled|"
    r"reviewed|added|counted|got|gotten|processed|calculated)\b"
    r"|\bbefore i (?:give|confirm|finali[sz]e|commit|submit|send)\b|\bintermediate\b"
    r"|\bbefore i can (?:call it|say for sure|be sure|confirm|give|commit)\b"
    r"|\bstill (?:need to |have to )?reconcile\b"
    r"|\b(?:an |the )?interim\b|\binitial (?:results?|findings|look|numbers?|count)\b"
    r"|\bnot the final\b|\bnot (?:a |the )?final (?:answer|number|figure|result)\b"
    r"|\b(?:working|halfway|part(?: of the)? way) through\b(?!,)|\btentative(?:ly)?\b"
    r"|\bpending\b|\bin progress\b|\bstill (?:going|working|checking|crunching|running)\b"
    r"|\b(?:hasn't|haven't|has not|have not|isn't|is not|aren't|wasn't|not|can't|cannot|"
    r"couldn't|don't|won't) (?:\w+ ){0,3}yet\b|\bstill (?:loading|coming in|pending|running)\b"
    r"|\bbefore (?:i )?(?:giv|confirm|finali[sz]|commit|submit|send)\w* (?:you )?(?:the|a|my) "
    r"(?:final|full|complete|whole)\b|\bstill to (?:go|check|do|review)\b"
    r"|\b(?:are|is) (?:still )?(?:left|to go)\b"
    r"|\b(?:isn't|is not|aren't|are not) (?:yet )?(?:final|complete|done|finished|conclusive)\b"
    r"|\bstill (?:being )?(?:\w+ed|waiting|loading|running|coming)\b"
    r"|\bbefore i can (?:say|tell|confirm) (?:whether|if|which|who)\b"
    r"|\bnothing (?:\w+ ){0,3}yet\b|\bstill (?:have|need|got) (?:\w+ ){0,3}to (?:count|check|go|"
    r"review|process|do|calculate|read|look at|confirm|verify|pull)\b"
    r"|\b(?:\w+ )?(?:left|remaining) to (?:calculate|check|go|review|process|do|look at|count|"
    r"compute|read|pull|verify)\b|\b(?:i've|i have|got|have|done|finished|checked|processed|"
    r"reviewed|pulled|calculated|computed)\b[^.!?]{0,40}\b(?:for|on|through) \d+ (?:of|out of) "
    r"(?:the |all )?\d+\b"
    r"|\b\d+ (?:of|out of) (?:the )?\d+ (?:\w+ )?(?:checked|done|processed|reviewed|"
    r"so far|left|remaining|to go)\b"
)

_REFERRAL = gated(
    r"\b(?:your|our|the) (?:\w+ ){0,2}(?:team|department|desk|specialists?|staff|manager|rep|"
    r"representative)\b[^!?\n]{0,60}?\b(?:can|could|will|would|should be able to) (?:help|assist|"
    r"answer|advise|look into|walk you)|"
    r"^(?:but |however,? )?what i (?:can|could) (?:tell|share|say|offer|do)\b|^instead\b|"
    r"\b(?:your|our|the) (?:account manager|account rep|sales rep|representative|admin|"
    r"administrator|manager|support team|billing team|team lead) (?:can|could|will|would|"
    r"should be able to)\b|"
    r"\b(?:but|however),? i (?:can|could) (?:tell|share|offer|help|point)\b|"
    r"\b(?:please (?:contact|reach out|call|email|e-mail|get in touch)|reach out to|"
    r"get in touch with|you (?:can|could|may|might) (?:contact|call|email|e-mail|try|ask|"
    r"reach)|contact (?:our|the|your)|would be the (?:way|place|best way)|is the (?:best|right) "
    r"(?:way|place|team|person))\b"
)

_NOT_A_REFUSAL = (
    r"(?!find|locate|see|tell (?:yet|for sure)|wait|believe|say for sure|confirm|be sure|"
    r"call it|say (?:yet|whether|which|if)|"
    r"\w+ (?:\w+ )?(?:a verdict |an answer |the final \w+ )?yet\b)"
)

_REFUSE = gated(
    rf"\b(?:i(?:'m| am) (?:sorry,? (?:but )?)?(?:not (?:able|allowed|permitted|authori[sz]ed|"
    rf"in a position)|unable) to {_NOT_A_REFUSAL}\w+"
    rf"|i (?:really |just |simply |unfortunately |honestly |truly |still )?(?:can(?:no|')t|cannot|"
    rf"won't|will not|must not|shouldn't|should not|am not going to|'m not going to|"
    rf"can't really|cannot really) {_NOT_A_REFUSAL}\w+"
    rf"|^(?:sorry,? )?i (?:can(?:no|')t|cannot|can not|won't)(?=[,.!]|$)"
    rf"|(?:isn't|aren't|is not|are not) (?:\w+ )?(?:disclosed|shared|released|given out|"
    rf"made public)"
    rf"|^(?:sorry,? )?(?:can(?:no|')t|cannot|unable to|not able to|won't) (?:share|provide|give|"
    rf"disclose|reveal|help|do|discuss|access|pass|release|tell)"
    rf"|(?:don't|do not) have (?:a|any) (?:way|means|tool|option) to|\bi can only\b"
    rf"|i (?:have to|must|need to|'d have to|would have to|will have to|'ll have to) "
    rf"(?:respectfully |politely )?decline"
    rf"|(?:that|this|it|such|those|these|their|the)(?:'s| (?:\w+ ){{0,3}}(?:is|are|would be|"
    rf"counts as|falls under)) (?:\w+ )?(?:confidential|private|protected|sensitive|"
    rf"restricted|off[- ]limits|not (?:something|information) i can)"
    rf"|(?:confidential|private|personal|sensitive) (?:customer |client |account )?"
    rf"(?:information|data|details|contact|pricing|terms)\b[^.!?]*\b(?:can(?:no|')t|cannot|"
    rf"not|won't|unable)"
    rf"|(?:is|'s|be|goes|go) against (?:our|the|company) (?:\w+ )?(?:polic(?:y|ies)|rules|"
    rf"guidelines)|would (?:breach|violate|break) (?:our|their|the|a|customer)"
    rf"|not (?:something|information) (?:that )?i(?:'m| am)? (?:can|could|able|allowed|"
    rf"permitted|authori[sz]ed)|(?:outside|beyond) (?:my|the) (?:scope|remit|permissions)"
    rf"|no access to|(?:don't|do not|doesn't|does not) have (?:the |any )?(?:\w+ )?"
    rf"(?:access|permission|rights|authority|ability|clearance)"
    rf"|only have (?:read|view|read-only)[- ]?(?:only )?"
    rf"access|(?:i'm|i am) afraid (?:i|that) (?:can(?:no|')t|cannot|won't|am not|'m not)"
    rf"|\bwe (?:don't|do not|can't|cannot|won't|never) (?:share|disclose|give out|provide|"
    rf"release|reveal|discuss)\b"
    rf"|(?:don't|do not|doesn't|does not) have (?:any )?(?:information|details|data|anything) "
    rf"(?:that )?(?:i|we) (?:can|could|am able to|are able to|'m able to|'re able to) "
    rf"(?:share|disclose|give out|provide)"
    rf"|\bcan(?:no|')t be (?:fulfilled|shared|disclosed|provided|completed|processed|answered|"
    rf"released|given)\b"
    rf"|(?:doesn't|does not|don't|do not) (?:allow|permit) (?:me |us )?(?:to )?(?:share|sharing|"
    rf"disclose|disclosing|give|giving|release|releasing)"
    rf"|i must respectfully|respectfully decline|have to say no|not able to help with"
    rf"|(?:isn't|aren't|is not|are not) (?:something|information|details?|data) (?:that )?"
    rf"(?:i|we)(?:'m| am|'re| are)? (?:can|could|able|allowed|permitted|authori[sz]ed|share|"
    rf"disclose)"
    rf"|(?:is|are|'s|'re) (?:strictly |kept |considered |treated as |classified as )?"
    rf"(?:confidential|internal[- ]only|off[- ]limits|not for (?:public|external) |"
    rf"internal(?=[.!]|$| information| data| figures| numbers))"
    rf"|outside (?:of )?what i(?:'m| am)? (?:can|could|able|allowed)"
    rf"|not (?:permitted|allowed|authori[sz]ed) to (?:share|disclose|give|provide|reveal))\b"
)

_COMMON = frozenset(
    """i i'm i've i'll i'd a an the this that these those it its it's here there let me my
    we our you your he she they them their sure thanks thank great okay ok yes no hi hello
    hey good perfect certainly absolutely of course alright right happy glad please just one
    so now then first next also and but or if for to in on at by with from as is are was
    were be been what which who when where how why do does did can could would should will
    shall may might must based per total sorry unfortunately however looks seems according
    using after before once while since because all any each both either neither none some
    most many much more less few several other another such step steps note result results
    answer summary overview quick breakdown details detail done update updated found
    looking checking pulling got understood noted excellent awesome wonderful hmm well
    actually basically essentially overall finally lastly additionally importantly
    unfortunately interestingly monday tuesday wednesday thursday friday saturday sunday
    crm sql salesforce database system records record data table query team agent rep
    reps agents customer customers account accounts""".split()
)

_NUMBER = re.compile(
    r"(?<![\w.])[-+(]?[$£€]?\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|k|m|bn|percent|million|"
    r"thousand|billion|usd|eur|gbp|dollars?|days?|hours?|hrs?|minutes?|mins?|weeks?|"
    r"months?))?(?![\w])"
)

_ID = re.compile(r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{3,}\b")

_NAME = re.compile(r"\b[A-Z][a-z'’]+(?:[ -](?:[A-Z][a-z'’]+|&|of|de|van|von))*(?: [A-Z][a-z'’]+)\b")

_WORD = re.compile(r"[a-z0-9]+")

_ASSERT = re.compile(
    r"\b(?:is|are|was|were|comes? to|came to|totals?|totaled|"
    r"totalled|amounts? to|"
    r"works out to|equals|sits at|stands at|would be|will be|has|had|have|leads?|led|"
    r"ranks?|ranked|tops?|topped|wins?|won|closed|shows?|showed|reads|came in|came out|"
    r"came first|averag(?:es|ed)|reported|got|gets|generated|brought in|sold|resolved|"
    r"handled|converted|scored|ended|landed|finished)\b"
)

_DONE = gated(
    r"\b(?:i(?:'ve| have)|we(?:'ve| have)|it(?:'s| is| has been)|(?:has|have) been|"
    r"(?:it|this|that|the \w+) "
    r"(?:is|was|has been) now|(?:it|this|that|the \w+) (?:has|have) been|successfully|"
    r"now (?:assigned|set|at|in|owned|updated|routed|corrected|marked|moved))\b[^.!?]*?"
    r"\b(?:assigned|updated|changed|moved|set|corrected|routed|created|closed|submitted|"
    r"processed|issued|escalated|reassigned|fixed|marked|logged|recorded|saved|applied|"
    r"refunded|approved|rejected|flagged|transferred|given|handed)\b"
    r"|^(?:done|all done|all set|fixed|updated|assigned|completed?|checked)\b"
    r"|^(?:\w+ ){0,2}(?:corrected|updated|assigned|changed|set|moved|reassigned|fixed|routed|"
    r"filed|submitted|processed|issued|logged|approved|cancell?ed|refunded|escalated)"
    r"(?: to)?(?:\s*[:—–-]|\s*[✅✔️.!]*$)"
    r"|[—–-]\s*(?:updated|done|fixed|assigned|corrected|changed|reassigned|completed)\.?$"
    r"|\b(?:went through|has gone through|is now|are now|should now show|now shows)\b"
    r"|^(?:update|change|assignment|reassignment|correction|fix|stage change)s? (?:applied|done|"
    r"complete|completed|made|saved|successful)|\bnow (?:belongs to|owned by|sits with)\b"
)

_YESNO = re.compile(
    r"^(?:yes|no|yep|nope|correct|incorrect|indeed|not quite|unfortunately,? (?:yes|no))"
    r"\b[,.!:;—–-]*\s*(?:\w+\W+){2,}"
)

_VERDICT = re.compile(
    r"\b(?:did(?:n't| not)?|does(?:n't| not)?|do(?:n't| not)?|is(?:n't| not)?|are(?:n't| not)?|"
    r"was(?:n't| not)?|has(?:n't| not)?|it's) (?:\w+ ){0,3}(?:break|breaks|violate|"
    r"violates|breach|breaches|breached|comply|complies|valid|invalid|compliant|non-compliant|allowed|permitted|"
    r"correct|incorrect|wrong|right(?! now| away| back| here| there)|consistent|"
    r"inconsistent|supported|match|matches|"
    r"conflict|conflicts|eligible|ineligible|fine|ok|okay|accurate|inaccurate|a problem|"
    r"an issue|any (?:issues|problems|violations|conflicts))\b"
)

_NEGATIVE_RESULT = gated(
    r"\b(?:no (?:\w+ ){0,3}(?:were|was|are|is) (?:found|recorded|logged|reported)|"
    r"there (?:are|were|is|was) no\b|none of (?:the|them)|no (?:\w+ )?violations?|no conflicts?|"
    r"\b(?:the|my|final) answer (?:is|would be|here is)\b\W*\w|"
    r"no issues?|zero\b|nothing (?:to|was) (?:report|found|flagged)|"
    r"(?:couldn't|could not|didn't|did not|wasn't able to|was not able to|was unable to|"
    r"were unable to|can't|cannot|don't|do not) (?:find|see|spot|identify|detect) any\b|"
    r"no (?:\w+ )?(?:breach(?:es)?|problems?|red flags?|discrepanc(?:y|ies)|mismatch(?:es)?)\b|"
    r"nothing (?:\w+ ){0,3}(?:conflicts|violates|breaks|contradicts|stands out as)|"
    r"^(?:approved|rejected|compliant|non-compliant|valid|invalid|consistent|inconsistent)\b|"
    r"^none\b(?!\s+(?:of (?:this|that|these)|yet))|\ball (?:\w+ ){0,4}(?:match|pass|comply))"
)

_RESULT = gated(
    r"\b(?:has|had|is|was|are|were|comes? out|came out|ranks?|ranked|shows?|showed|posts?|"
    r"posted|with|had by far) (?:by far )?(?:the )?(?:highest|lowest|most|least|fastest|"
    r"slowest|quickest|longest|shortest|best|worst|largest|smallest|biggest|top|fewest)\b"
    r"|\b(?:comes?|came) out (?:slowest|fastest|quickest|on top|ahead|first|top|last|best|worst)"
    r"|\b(?:comes?|came) (?:across|up|out|through) (?:as )?(?:clearly |very |quite |mostly |"
    r"strongly )?(?:positive|negative|positively|"
    r"negatively|favou?rabl[ey]|strong(?:ly)?|badly|poorly|well)\b"
    r"|\b(?:was|were|is|are|came across|sounded|seemed|felt) (?:\w+ )?(?:positive|negative|"
    r"enthusiastic|unhappy|concerned|neutral|lukewarm|skeptical|sceptical) (?:about|on|in|"
    r"regarding|with|toward|towards|across|throughout)\b"
    r"|\b(?:came|come|comes) across as (?:neutral|mixed)\b"
    r"|\b(?:was|were|is|are) (?:the |a )?(?:main |biggest |only |real |key )?(?:sore|pain|"
    r"sticking|weak|strong|bright|high|low) (?:point|spot)s?\b"
    r"|\b(?:the )?(?:only|main|single|biggest|primary|most (?:common|reported|frequent))\b"
    r"[^.!?]*\b(?:was|is|were|are)\s+(?!\w+ing\b|\w+ed\b|going|still|not)\w+"
)

_VERDICT_VERB = gated(
    r"\b(?:both|all|they|these|those|each|all \w+) (?:\w+ )?(?:pass|fail)\b|"
    r"\b(?:looks|seems|is|looked|seemed) like a (?:fail|pass|match|violation|breach)\b|"
    r"\b(?:support|supports|point to|points to) (?:at least|moving to|a move to)\b|"
    r"\b(?:looks?|seems?|appears?) (?:fine|good|ok|okay|solid|compliant|valid|correct|"
    r"satisfied)\b|\b(?:positive|negative|neutral) (?:subtopics?|topics?|themes?|points?|"
    r"factors?|areas?)\b[^.!?]{0,40}?\b(?:are|is|were|was|include|included)\b|"
    r"\b(?:both|all|each|they|these)\b[^.!?]{0,20}\b(?:look|looks|are|seem|seems) (?:fine|good|"
    r"ok|okay|solid|compliant|valid|correct|satisfied|met)\b|"
    r"\b(?:passes|passed|fails|failed|complies|complied|violates|violated|breaks|broke|"
    r"satisfies|satisfied|meets|conforms|matches|matched|supports|point to|check(?:s|ed)? out|"
    r"points to|didn't change anything|no change (?:is )?needed|nothing (?:needed|to change)|"
    r"already (?:at|in|correct|right))\b"
)

_PLAN_STEP = re.compile(
    r"^(?:step \d+[:.)]?\s*)?(?:fetch|group|compute|filter|join|sum|check|confirm|pull|look|"
    r"query|calculate|aggregate|compare|count|identify|find|rank|sort|work out|review|"
    r"verify|add|get|gather|match|map|determine|select|split|list|apply|pick|search|"
    r"retrieve|tally|divide|exclude|include|cross-check|double-check|run|open|read|"
    r"scan|collect|evaluate|assess|flag|locate|load|reassign|assign|route|update|"
    r"correct|move|change|inspect|examine|analy[sz]e|summari[sz]e|break down|merge)\b"
    r"(?! (?:me|us|your)\b)(?!\s*:)(?!s? (?:applied|done|complete|completed|made|saved|successful))"
)

_BARE_NAME = re.compile(r"(?<!^)(?<![.!?:]\s)\b[A-Z][a-z]{2,}\b")

_STRONG_ASSERT = re.compile(
    r"\b(?:is|are|was|were|comes? to|came to|totals?|totaled|"
    r"totalled|equals|amounts? to|"
    r"works out to|would be|(?:leads|led) (?:with|by|at|the)|tops|topped|ranks first|"
    r"came first|stands out)\b"
)

_ASK_VERB = gated(
    r"\b(?:shall i|should i|(?:would|do) you (?:like|want) me to|want me to|can i go ahead and|"
    r"may i go ahead and|ok(?:ay)? (?:for me )?to|is it ok(?:ay)? if i)\s+(?:go ahead and\s+)?"
    r"(?:also\s+)?([a-z]+)"
)

_METHOD = gated(
    r"\b(?:should|shall) i (?:also )?(?:include|exclude|require|apply|use|count|filter|limit|"
    r"restrict|treat|consider|group|weight|focus on|measure|calculate|sort|rank|set|look at|"
    r"go by|base|assume|cap|drop|ignore|skip)\b|\b(?:do|would) you want (?:a |the )?(?:specific|"
    r"particular|certain|only|just)\b"
)
"""A choice about how to work out the answer: a clarification, not an offer."""

_FURTHER = re.compile(
    r"\b(?:another|more|other|additional|else|also|too|as well|next one|the rest|extra)\b"
)

_STATE_CHANGE = re.compile(
    r"(?:assign|reassign|route|update|change|correct|fix|set|move|close|create|submit|approve|"
    r"reject|apply|mark|cancel|refund|escalate|transfer|convert|book|schedule)"
)

_ALTERNATIVE = gated(
    r"\b(?:retails? (?:at|for)|list price|publicly (?:listed|available)|on our website)\b|"
    r"\binstead\b|\balternatively\b|\bi (?:could|can) (?:help|prepare|send|offer|connect|put|"
    r"pass|forward|create|open|point|suggest|recommend|set up)\b|^(?:want|would you like) me to\b"
)

_BOOKKEEPING = gated(
    r"\b(?:ticket|reminder|internal note|logged (?:this|it|that) as|created (?:a |the )?"
    r"(?:request|job|task))\b"
)
"""Opening a ticket or a reminder is bookkeeping around a task, not doing it."""

_ACK_PREFIX = re.compile(
    r"^(?:noted|got it|understood|okay|ok|sure|perfect|great|alright|all right|to confirm|"
    r"copy that|"
    r"confirming|so|right)\s*[:—–-]\s*\S"
)
"""An acknowledgement heading the user's own details: "Noted: Q2 2025, chat only." """
_LABELLED_ITEMS = gated(r"^(?P<label>[^:?]{3,80}):\s*(?P<items>[^:?.!]{2,120})[.!]?$")
_NOT_A_RESULT_LABEL = re.compile(
    r"\b(?:error|warning|status|note|scope|period|priority|metric|filter|step|plan|problem|"
    r"analysis|summary of (?:your|the) request|parameters|criteria|filters|details|request|"
    r"tip|fyi|heads up|update|so|right|recap|query|request|task|goal|i|you|we|my|your)\b",
    re.IGNORECASE,
)
_NOT_ITEMS = re.compile(
    r"\b(?:i|you|we|it|they|he|she|this|that|my|your|our|is|are|was|were|will|would|has|have|"
    r"had|after|before|because|when|then|let|retry\w*)\b",
    re.IGNORECASE,
)
"""A result given as "label: items" ("Positive subtopics: pricing and security")."""
_TENTATIVE = re.compile(
    r"^(?:but |so )?(?:if (?:we (?:count|include|use|go by|look at|take)|you (?:mean|meant|want|"
    r"count|include|'re asking|are asking|'re after|are after)|that's|it's)|assuming (?:you|we|"
    r"that)|provided (?:that|you))\b"
)

_TOOL_TRACE = re.compile(
    r"^(?:>\s*)?(?:tool|calling|call|function|action|invoke|running)\s*:?\s*[a-z_][\w.]*\(|"
    r"^[a-z_][a-z0-9_]*\([^)]*\)\s*$"
)
"""A tool call written out for the user to see: the work, not its result."""
_ERROR = gated(
    r"\b(?:hit|ran into|run into|got|encountered|received|returned|throws?|threw) (?:an? |the )?"
    r"(?:\w+ )?(?:error|problem|issue|exception|timeout|time-out)\b|\b\w*(?:error|exception):|"
    r"\btimed out\b|\b(?:http|status) [1-5]\d\d\b|\bservice (?:is )?(?:down|unavailable)\b"
)
"""A tool or service failing: news about the agent's work, never a result."""
_NUMBER_WORDS = gated(
    r"\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion)\b(?! of\b)"
)
_STRONG_RESULT = gated(
    r"\b(?:has|had|is|was|are|were|ranks?|ranked|came out|comes out|posted|posts) (?:by far )?"
    r"(?:the )?(?:highest|lowest|most|least|fastest|slowest|quickest|longest|shortest|best|"
    r"worst|largest|smallest|biggest|top|fewest)\b"
)
_AMOUNT_IN_WORDS = gated(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million)\b(?:[\s-]+\w+){0,3}?[\s-]+(?:dollars?|"
    r"euros?|pounds?|cents?|percent|per cent)\b"
)
_EMAIL = gated(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FILLER = re.compile(r"^(?:hmm+|um+|uh+|well|so|right|hm)[.!…]*$")

_RECORDS = (
    r"(?:leads|records|opportunities|cases|activities|rows|deals|contracts|quotes|items|orders|"
    r"accounts|tickets|entries|results|reps|agents|line items|transfers|chats|calls|emails|"
    r"tasks|events|products|files|pages|matches|returns|refunds|messages|invoices|payments|"
    r"users|customers|contacts|articles|notes|documents|lines|shipments|transactions|"
    r"transcripts|conversations|interactions|sessions|visits|meetings|configurations|months|"
    r"weeks|quarters|periods|states|regions|products|categories|subtopics)"
)

_SCOPE = re.compile(
    rf"(?:\bthere (?:are|were|is|'re)|\b(?:found|have|see|got|pulled|fetched|retrieved|"
    rf"loaded|returned|returns|matched|located|identified|counted|spotted|with)\s+|"
    rf"^|\b(?:across|over|among|spanning|covering) "
    rf"|\b(?:[a-z]*\d[a-z0-9-]{{4,}}|it|this|that|they|which)\s+(?:has|have|had|contains|includes|"
    rf"lists)\s+|\(\s*)(?:about|around|roughly|some|over|nearly|"
    rf"almost)?\s*\d[\d,]*\+?\s+(?:[\w-]+\s+){{0,2}}{_RECORDS}\b"
    rf"|\b\d+ of them\b(?: (?:open|closed|pending|new|active|done))?"
    rf"|\b\d[\d,]*\s+(?:\w+\s+){{0,2}}{_RECORDS}\s+(?:\w+\s+){{0,4}}to (?:go through|check|"
    rf"process|review|sort|work through|look at|scan|compare|count|sum|total|average|analy[sz]e|"
    rf"rank|read)\b",
    re.IGNORECASE,
)

_RANGE = gated(
    r"\b(?:between|from)\s+(?:[A-Za-z]+\s+)?[\w,-]*\d[\w,-]*(?:\s+\d{4})?\s+(?:and|to|until|"
    r"through|–|-)\s+(?:[A-Za-z]+\s+)?[\w,-]*\d[\w,-]*(?:,?\s+\d{4})?"
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

_DAY = (
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?"
    rf"|\d{{1,2}} {_MONTH}(?: \d{{4}})?)"
)

_METADATA = re.compile(
    rf"\b(?:created|opened|logged|submitted|filed|received|placed|dated|raised|modified)\s+"
    rf"(?:on\s+|at\s+)?{_DAY}(?:,?\s+(?:at\s+)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s?[ap]\.?m\.?)?"
    rf"(?:\s?(?:utc|gmt|[a-z]{{2,4}}t))?)?"
    rf"|\[?\d{{4}}-\d{{2}}-\d{{2}}[ t]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?z?\]?"
    rf"(?:\s?(?:utc|gmt))?"
    rf"|\b(?:ticket|reference|ref|confirmation|request|req|job|run|trace|task)[_ ]?"
    rf"(?:#|number|no\.?|id)?[\"']?\s*:?\s*[\"']?#?[a-z0-9-]*\d[\w-]*"
    rf"|\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]"
    rf"|\bat \d{{1,2}}:\d{{2}}(?:\s?[ap]\.?m\.?)?|\bstep \d+(?:\s*(?:/|of)\s*\d+)?\b"
    rf"|\b(?:an? )?(?:http )?[1-5]\d\d (?:error|status|response|code)\b|\berror (?:code )?\d+\b"
    rf"|{_DAY}\s*(?:to|through|thru|until|–|-)\s*{_DAY}",
    re.IGNORECASE,
)
"""Record metadata and restated periods: a creation date, a ticket number, a time of day,
a period spelled out ("July 1 to September 30"). Never a result."""

_OPEN_ASK = re.compile(
    r"^(?:so,? )?(?:what|how) (?:can|may|could) i (?:help|assist|do for) you(?: with)?"
    r"(?: today| now)?\W*$|^(?:so,? )?what (?:do|can) you need(?: help)?(?: with)?(?: today)?\W*$"
)
