"""The families the reference agents recognise, and how they recognise one."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.agent.reference._fam_quotes import InvalidConfiguration, QuoteApproval
from simulator.agent.reference._fam_reading import (
    LeadQualification,
    PolicyViolation,
    SalesInsight,
)
from simulator.agent.reference._fam_sales import ConversionRate, SalesAmount, SalesCycle
from simulator.agent.reference._fam_service import (
    BestRegion,
    HandleTime,
    MonthlyTrend,
    TopIssue,
    TransferCount,
)
from simulator.agent.reference._fam_text import KnowledgeQA, ProductDisambiguation
from simulator.agent.reference._fam_workflow import (
    ActivityPriority,
    CaseRouting,
    LeadRouting,
    WrongStage,
)
from simulator.agent.reference._families import Family

FAMILIES: tuple[Family, ...] = (
    CaseRouting(),
    HandleTime(),
    TransferCount(),
    TopIssue(),
    MonthlyTrend(),
    BestRegion(),
    ProductDisambiguation(),
    KnowledgeQA(),
    PolicyViolation(),
    SalesAmount(),
    SalesCycle(),
    ConversionRate(),
    LeadRouting(),
    WrongStage(),
    ActivityPriority(),
    QuoteApproval(),
    InvalidConfiguration(),
    SalesInsight(),
    LeadQualification(),
)


def detect(texts: Sequence[str], audience: str, org: str | None) -> Family | None:
    """The family whose keywords the user's messages hit most (ties: none).

    Only families of the dialogue's org (known from its tools) and audience compete.
    """
    joined = " ".join(texts)
    scored = sorted(
        (
            (f.score(joined), i)
            for i, f in enumerate(FAMILIES)
            if (audience in f.audiences or audience not in ("internal", "customer"))
            and (org is None or f.org in (None, org))
        ),
        reverse=True,
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return FAMILIES[scored[0][1]]
