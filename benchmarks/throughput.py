"""Throughput of the runner, measured with the protocol used for peer frameworks.

    python benchmarks/throughput.py            # the full protocol (a few minutes)
    python benchmarks/throughput.py --quick    # a smoke run (seconds)
    python benchmarks/throughput.py --jitter 0.2   # model calls of 40 to 60 ms, not 50

Protocol: a fake model that sleeps 50 ms per call serves the agent role (an LLM agent)
and the user role (the LLM user realizer); each dialogue has exactly 5 user turns;
N dialogues run at concurrency 1, 8, 64 and 256 through ``run_jobs`` (records written to
JSONL, everything included). Reported, without an environment and with the CRM:

- achieved dialogues per second, the ideal (concurrency ÷ model-bound dialogue time,
  the sequential model calls of a dialogue × 50 ms, counted from the records) and
  their ratio; concurrency is the total in flight, which the N-worker rows share among
  their workers; those rows are timed from the moment every worker is ready (its
  start-up, printed beside, is what the one-process rows do untimed);
- CPU milliseconds per user turn with a zero-latency model at concurrency 1, and again
  with the agent's turns before its answer taken from the agent-move corpus's questions
  and stalls (``CORPUS_TURNS``: longer, as an LLM agent's turns are, so more to read);
- the event loop's passes per user turn, for the runner and for LangGraph's empty graph;
- peak memory (RSS) of each measurement; peak memory for 1,000 and 10,000 dialogues;
- the replay speed of a 1,000-dialogue run (and that every replay is identical).

Each measurement runs in a fresh process (after one untimed dialogue that compiles the
graph and builds the CRM database), so peak memory is its own. Targets are printed
beside the figures, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import operator
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any, TypedDict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langgraph.graph import START, StateGraph  # noqa: E402
from langgraph.types import Command  # noqa: E402

from simulator.agent import AgentSpec, ToolCall  # noqa: E402
from simulator.models._client import ChatRequest, ChatResponse  # noqa: E402
from simulator.models._limits import ProviderLimits  # noqa: E402
from simulator.models._registry import ModelRegistry  # noqa: E402
from simulator.models._roles import RoleConfig, Roles  # noqa: E402
from simulator.persona import Mode, Persona  # noqa: E402
from simulator.run import RECORDS_FILE, DialogueJob, read_records, run_jobs  # noqa: E402
from simulator.run._parallel import run_jobs_in_processes  # noqa: E402
from simulator.run._replay import replay_records  # noqa: E402

USER_TURNS = 5
LATENCY = 0.05
AGENT_MODEL = "openai:fake-agent"
USER_MODEL = "openai:fake-user"
PEERS = {
    "tau2-bench": {"ratio": 0.08, "cpu_ms": 2.9},
    "openevals": {"ratio": 0.66, "cpu_ms": 0.76},
}
TARGETS = {"ratio": 0.9, "ratio64": 0.95, "ours_ms": 0.3}
JITTER = [0.0]  # --jitter: each call sleeps LATENCY × uniform(1 - J, 1 + J), seeded
_DRAWS = random.Random(0)


def model_sleep(latency: float) -> Any:
    """The fake model's wait: ``latency`` exactly (the protocol), or spread by ``JITTER``
    around it (the mean, and so the ideal, stay the same)."""
    if JITTER[0]:
        latency *= 1 + JITTER[0] * (2 * _DRAWS.random() - 1)
    return asyncio.sleep(latency)


# --- the fake model ---------------------------------------------------------------------------


class FakeModel:
    """A model that sleeps ``latency`` seconds per call and answers by rule.

    As the agent: a question each turn (with the CRM, first a ``sql_query`` call, then
    the question), and the answer once the user has sent 5 messages. As the user: the
    fact sentences its prompt allows, so the verifier accepts every draft.
    """

    limit_key = "fake"

    def __init__(self, model: str, latency: float) -> None:
        self.model = model
        self.latency = latency

    async def complete(self, request: ChatRequest) -> ChatResponse:
        if self.latency:
            await model_sleep(self.latency)
        if self.model == USER_MODEL:
            return ChatResponse(text=_user_draft(request))
        return _agent_reply(request)


def _user_draft(request: ChatRequest) -> str:
    prompt = str(request.messages[-1].get("content") or "")
    _, _, allowed = prompt.partition("Facts you may give now")
    says = [line[2:] for line in allowed.splitlines() if line.startswith("- ")]
    return " ".join(says) or "Hi, I need a figure."


CORPUS_TURNS: list[str] = []
"""Filled in the ``cpu-corpus`` measurement only: the agent's turns before its answer, taken
in turn from the agent-move corpus's questions and stalls (``corpus_turns``) instead of
its one short line."""
_NEXT_TURN = [0]


def corpus_turns() -> list[str]:
    """The tune splits' questions and stalls (an LLM agent's usual non-answers: 84 and 98
    characters on average, against 31 for the fake agent's own line)."""
    out = []
    for path in sorted((ROOT / "benchmarks/data/agent_moves").glob("tune*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["label"] in ("question", "stall"):
                out.append(item["text"])
    return out


def _agent_reply(request: ChatRequest) -> ChatResponse:
    messages = request.messages
    users = sum(1 for m in messages if m.get("role") == "user")
    has_tools = any(t.name == "sql_query" for t in request.tools)
    if has_tools and messages[-1].get("role") == "user":
        call = ToolCall(id=f"q{users}", name="sql_query", arguments={"query": "SELECT 1"})
        return ChatResponse(tool_calls=[call], stop_reason="tool_use")
    if users >= USER_TURNS:
        return ChatResponse(text="The answer is 42.")
    if CORPUS_TURNS:
        text = CORPUS_TURNS[_NEXT_TURN[0] % len(CORPUS_TURNS)]
        _NEXT_TURN[0] += 1
        return ChatResponse(text=text)
    return ChatResponse(text="Thanks. Could you tell me more?")


def registry(latency: float) -> ModelRegistry:
    models = ModelRegistry(cache=False, limits=ProviderLimits({}, default=1_000_000))
    models.register(AGENT_MODEL, FakeModel(AGENT_MODEL, latency))
    models.register(USER_MODEL, FakeModel(USER_MODEL, latency))
    return models


def install_fakes(
    latency: float, env: str | None = None, ready: str | None = None, jitter: float = 0.0
) -> None:
    """Make a registry with the fake models (no request cache, no provider limit, as in
    the one-process rows) this worker's default: a worker builds its clients from the
    default registry. The initializer of the N-worker rows: with ``env``, it also runs the
    untimed warm-up dialogue, then appends the moment the worker is ready to ``ready``."""
    from simulator.models import use_registry

    JITTER[0] = jitter
    _WORKER_REGISTRY.append(use_registry(registry(latency)))  # kept: exiting restores
    _WORKER_REGISTRY[-1].__enter__()  # for the worker's whole life
    if env is not None:
        asyncio.run(warm_up(env))
    if ready is not None:
        with open(ready, "a", encoding="utf-8") as fh:
            fh.write(f"{time.time()}\n")


_WORKER_REGISTRY: list[Any] = []


def persona(env: str) -> Persona:
    """Five facts revealed one per turn (sharded): exactly 5 user turns, then the answer."""
    facts = [
        {"id": f"f{i}", "value": f"V-{i}{i}{i}", "say": f"Detail {i} is V-{i}{i}{i}.", "kind": "id"}
        for i in range(1, USER_TURNS + 1)
    ]
    return Persona.model_validate(
        {
            "id": f"bench.{env}",
            "name": "Bench User",
            "goal": "Get one figure.",
            "opening": "Hi, I need a figure.",
            "traits": {"patience": 50, "verbosity": "terse"},
            "facts": facts,
            "expect": {"answer": "42", "match": "exact"},
            "environment": env,
        }
    )


AGENT = AgentSpec(name="fake-agent", kind="openai", model="fake-agent")
ROLES = Roles(user=RoleConfig(model=USER_MODEL))


# --- one measurement (in a child process) -----------------------------------------------------


class CountingLoop(asyncio.SelectorEventLoop):
    """An event loop that counts its passes (``_run_once``). Between two passes every
    ready callback runs once, so a dialogue that gives the loop back k times between two
    model calls waits k times behind the other dialogues' ready work: at high concurrency
    its calls start later. The CPU-per-turn measurements run on it."""

    passes = 0

    def _run_once(self) -> None:
        self.passes += 1
        super()._run_once()


def loop_passes() -> int:
    return getattr(asyncio.get_running_loop(), "passes", 0)


def model_calls_per_dialogue(env: str) -> int:
    """Sequential model calls of one dialogue: per user turn, the user and the agent (with
    the CRM, the agent again after its query), plus the user's closing line."""
    return USER_TURNS * (3 if env == "crm" else 2) + 1


async def warm_up(env: str) -> None:
    """One untimed dialogue: compiles the graph and builds the CRM database of the process."""
    with tempfile.TemporaryDirectory() as tmp:
        job = DialogueJob(persona(env), AGENT, Mode.SHARDED, -1)
        await run_jobs([job], Path(tmp), roles=ROLES, models=registry(0.0))


async def measure(env: str, n: int, concurrency: int, latency: float) -> dict[str, Any]:
    await warm_up(env)
    who = persona(env)
    jobs = (DialogueJob(who, AGENT, Mode.SHARDED, seed) for seed in range(n))  # lazily
    models = registry(latency)
    with tempfile.TemporaryDirectory() as tmp:
        cpu, wall, passes = time.process_time(), time.perf_counter(), loop_passes()
        await run_jobs(
            jobs, Path(tmp), concurrency=concurrency, roles=ROLES, models=models, max_steps=4
        )
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        passes = loop_passes() - passes
        turns = ends = calls = 0
        for record in read_records(Path(tmp) / RECORDS_FILE):
            turns += record.scores.efficiency.user_turns
            ends += record.end_reason.value == "answered"
            calls += sum(1 for e in record.events if e.type == "model_call")
    model_time = calls / n * LATENCY  # sequential model calls of one dialogue × latency
    return {
        "env": env,
        "n": n,
        "concurrency": concurrency,
        "latency": latency,
        "wall_s": wall,
        "cpu_ms_per_turn": cpu / turns * 1000,
        "passes_per_turn": passes / turns,
        "achieved": n / wall,
        "start_s": 0.0,
        "ideal": concurrency / model_time if latency else None,
        "answered": ends,
        "model_s": model_time,
        "user_turns": turns,
        "peak_mb": peak_mb(),
    }


class FloorState(TypedDict, total=False):
    events: Annotated[list[str], operator.add]
    turn: int
    tool_done: bool


def floor_graph(env: str, latency: float = 0.0) -> Any:
    """The dialogue's shape with nodes that do nothing but route (by ``Command``, as the
    real nodes do): per user turn, user and agent (with the CRM, tools and agent again).
    With ``latency``, the user and agent nodes sleep as the model calls would."""

    async def user(s: FloorState) -> Command[Any]:
        if latency:
            await model_sleep(latency)
        turn = s["turn"] + 1
        goto = "judge" if turn > USER_TURNS else "agent"
        return Command(update={"events": ["u"], "turn": turn, "tool_done": False}, goto=goto)

    async def agent(s: FloorState) -> Command[Any]:
        if latency and s["turn"] <= USER_TURNS:
            await model_sleep(latency)
        goto = "tools" if env == "crm" and not s["tool_done"] else "user"
        return Command(update={"events": ["a"]}, goto=goto)

    async def tools(s: FloorState) -> Command[Any]:
        return Command(update={"events": ["t"], "tool_done": True}, goto="agent")

    async def judge(s: FloorState) -> FloorState:
        return {"events": ["j"]}

    graph = StateGraph(FloorState)
    graph.add_node("user", user, destinations=("agent", "judge"))
    graph.add_node("agent", agent, destinations=("tools", "user"))
    graph.add_node("tools", tools, destinations=("agent",))
    graph.add_node("judge", judge)
    graph.add_edge(START, "user")
    return graph.compile()


async def measure_floor(env: str, n: int) -> dict[str, Any]:
    """LangGraph's own CPU per user turn: ``floor_graph`` walked like a 5-turn dialogue,
    invoked as the runner invokes the real graph (``version="v2"``: values only)."""
    app = floor_graph(env)
    start: FloorState = {"events": [], "turn": 0, "tool_done": False}
    await app.ainvoke(start, version="v2")
    cpu, passes = time.process_time(), loop_passes()
    for _ in range(n):
        await app.ainvoke(start, version="v2")
    cpu, passes = time.process_time() - cpu, loop_passes() - passes
    return {
        "env": env,
        "cpu_ms_per_turn": cpu / (n * USER_TURNS) * 1000,
        "passes_per_turn": passes / (n * USER_TURNS),
    }


async def measure_workers(
    env: str, n: int, concurrency: int, latency: float, workers: int
) -> dict[str, Any]:
    """The runner with ``workers`` processes (``simulator run --workers``) sharing
    ``concurrency`` dialogues in flight: CPU and peak memory are the workers' own. Each
    worker warms up (imports, graph, CRM database: what the one-process rows do untimed)
    before its first dialogue: the rate is timed from the moment the last worker is
    ready, and the start-up is reported beside it."""
    who = persona(env)
    jobs = [DialogueJob(who, AGENT, Mode.SHARDED, seed) for seed in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready"
        began = time.time()
        cpu, wall = time.process_time(), time.perf_counter()
        await run_jobs_in_processes(
            jobs,
            Path(tmp),
            workers=workers,
            concurrency=concurrency,
            max_turns=12,
            max_steps=4,
            step_timeout=60.0,
            max_message_chars=65_536,
            roles=ROLES,
            budget=None,
            initializer=functools.partial(install_fakes, latency, env, str(ready), JITTER[0]),
        )
        wall = time.perf_counter() - wall
        start = max(float(t) for t in ready.read_text().split()) - began
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
        turns = ends = calls = 0
        for record in read_records(Path(tmp) / RECORDS_FILE):
            turns += record.scores.efficiency.user_turns
            ends += record.end_reason.value == "answered"
            calls += sum(1 for e in record.events if e.type == "model_call")
    model_time = calls / n * LATENCY
    return {
        "env": env,
        "n": n,
        "concurrency": concurrency,
        "workers": workers,
        "wall_s": wall,
        "cpu_ms_per_turn": cpu / turns * 1000,
        "achieved": n / (wall - start),
        "start_s": start,
        "ideal": concurrency / model_time,
        "answered": ends,
        "user_turns": turns,
        "peak_mb": children.ru_maxrss / 1024,
    }


async def measure_floor_throughput(
    env: str, n: int, concurrency: int, latency: float, *, graph: bool
) -> dict[str, Any]:
    """The same model sleeps at the same concurrency with nothing else (``graph`` False:
    a loop of sleeps per dialogue) or inside LangGraph's empty graph (``graph`` True)."""
    calls = model_calls_per_dialogue(env)
    limit = asyncio.Semaphore(concurrency)
    app = floor_graph(env, latency) if graph else None
    start: FloorState = {"events": [], "turn": 0, "tool_done": False}

    async def one() -> None:
        async with limit:
            if app is not None:
                await app.ainvoke(start, version="v2")
            else:
                for _ in range(calls):
                    await model_sleep(latency)

    if app is not None:
        await floor_graph(env, 0.0).ainvoke(start, version="v2")  # warm up, untimed
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "env": env,
        "n": n,
        "concurrency": concurrency,
        "wall_s": wall,
        "cpu_ms_per_turn": cpu / (n * USER_TURNS) * 1000,
        "achieved": n / wall,
        "start_s": 0.0,
        "ideal": concurrency / (calls * latency),
        "peak_mb": peak_mb(),
    }


async def measure_replay(n: int, concurrency: int) -> dict[str, Any]:
    await warm_up("none")
    who = persona("none")
    jobs = (DialogueJob(who, AGENT, Mode.SHARDED, seed) for seed in range(n))
    with tempfile.TemporaryDirectory() as tmp:
        await run_jobs(jobs, Path(tmp), concurrency=64, roles=ROLES, models=registry(0.0))
        wall = time.perf_counter()
        identical = total = 0
        async for result in replay_records(
            read_records(Path(tmp) / RECORDS_FILE), concurrency=concurrency, roles=ROLES
        ):
            total += 1
            identical += result.identical
        wall = time.perf_counter() - wall
    return {"n": total, "identical": identical, "wall_s": wall, "per_s": total / wall}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(spec: dict[str, Any]) -> None:
    JITTER[0] = spec.pop("jitter", 0.0)
    if spec["kind"] == "replay":
        result = asyncio.run(measure_replay(spec["n"], spec["concurrency"]))
    elif spec["kind"] == "floor":
        with asyncio.Runner(loop_factory=CountingLoop) as runner:
            result = runner.run(measure_floor(spec["env"], spec["n"]))
    elif spec["kind"] in ("cpu", "cpu-corpus"):
        if spec["kind"] == "cpu-corpus":
            CORPUS_TURNS.extend(corpus_turns())
        args = (spec["env"], spec["n"], spec["concurrency"], spec["latency"])
        with asyncio.Runner(loop_factory=CountingLoop) as runner:
            result = runner.run(measure(*args))
    elif spec["kind"] == "workers":
        args = (spec["env"], spec["n"], spec["concurrency"], spec["latency"], spec["workers"])
        result = asyncio.run(measure_workers(*args))
    elif spec["kind"] in ("bare", "graph"):
        args = (spec["env"], spec["n"], spec["concurrency"], spec["latency"])
        result = asyncio.run(measure_floor_throughput(*args, graph=spec["kind"] == "graph"))
    else:
        args = (spec["env"], spec["n"], spec["concurrency"], spec["latency"])
        result = asyncio.run(measure(*args))
    print(json.dumps(result))


def run_child(**spec: Any) -> dict[str, Any]:
    spec["jitter"] = JITTER[0]
    out = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"measurement {spec} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- the protocol (parent) --------------------------------------------------------------------


def _row(env: str, what: str, level: int, r: dict[str, Any]) -> str:
    ratio = r["achieved"] / r["ideal"]
    return (
        f"{env:<5} {what:<18} {level:>5} {r['n']:>6} {r['achieved']:>10.1f} {r['ideal']:>8.1f} "
        f"{ratio:>6.2f} {r['start_s']:>7.1f} {r['cpu_ms_per_turn']:>8.2f} {r['peak_mb']:>8.0f}"
    )


def main(quick: bool, workers: int) -> None:
    levels = [1, 64] if quick else [1, 64, 256]
    per_level = 2 if quick else 4
    envs = ("none", "crm")
    spread = f" ± {JITTER[0]:.0%} (uniform, seeded)" if JITTER[0] else ""
    print(
        f"Fake model: {LATENCY * 1000:.0f} ms{spread} per call in the agent and user roles; "
        f"{USER_TURNS} user turns per dialogue; model-bound dialogue time "
        + ", ".join(f"{e} {model_calls_per_dialogue(e) * LATENCY:.2f} s" for e in envs)
        + f"; {workers} workers = the machine's cores"
    )
    print(
        "conc.: dialogues in flight in total (the N-worker rows share them); dialog/s: timed "
        "once every process is ready; start s: the N-worker rows' start-up (imports, graph, "
        "CRM database; untimed warm-up in the one-process rows); ideal/s: conc. ÷ "
        "model-bound dialogue time; CPU ms: all processes' CPU per user turn, start-up "
        "included; peak MB: per process (the largest)"
    )
    header = (
        "env", "what", "conc.", "N", "dialog/s", "ideal/s", "ratio", "start s", "CPU ms",
        "peak MB",
    )  # fmt: skip
    print("\n{:<5} {:<18} {:>5} {:>6} {:>10} {:>8} {:>6} {:>7} {:>8} {:>8}".format(*header))
    ratios: dict[tuple[str, str, int], float] = {}
    ideals: dict[tuple[str, int], float] = {}
    for env in envs:
        for level in levels:
            n = max(8, per_level * level)
            common = {"env": env, "n": n, "concurrency": level, "latency": LATENCY}
            rows = [
                ("no framework", run_child(kind="bare", **common)),
                ("LangGraph floor", run_child(kind="graph", **common)),
                ("runner, 1 worker", run_child(kind="throughput", **common)),
            ]
            if workers > 1:
                wide = {**common, "n": n * workers}
                rows.append(
                    (
                        f"runner, {workers} workers",
                        run_child(kind="workers", workers=workers, **wide),
                    )
                )
            for what, r in rows:
                if "answered" in r and (
                    r["answered"] != r["n"] or r["user_turns"] != r["n"] * USER_TURNS
                ):
                    raise SystemExit(f"{env}: dialogues did not run to 5 user turns and an answer")
                ratios[(env, what, level)] = r["achieved"] / r["ideal"]
                ideals[(env, level)] = r["ideal"]
                print(_row(env, what, level, r))
        print()
    cpu = {}
    for env in envs:
        r = run_child(kind="cpu", env=env, n=20 if quick else 200, concurrency=1, latency=0.0)
        cpu[env] = r
    corpus = {
        e: run_child(kind="cpu-corpus", env=e, n=20 if quick else 200, concurrency=1, latency=0.0)
        for e in envs
    }
    for r in (*cpu.values(), *corpus.values()):
        if r["answered"] != r["n"] or r["user_turns"] != r["n"] * USER_TURNS:
            raise SystemExit(f"{r['env']}: dialogues did not run to 5 user turns and an answer")
    floor = {e: run_child(kind="floor", env=e, n=20 if quick else 200) for e in envs}
    ours = {e: cpu[e]["cpu_ms_per_turn"] - floor[e]["cpu_ms_per_turn"] for e in envs}
    mem_sizes = [100, 1000] if quick else [1000, 10000]
    memory = {
        n: run_child(kind="memory", env="none", n=n, concurrency=64, latency=0.0) for n in mem_sizes
    }
    growth = memory[mem_sizes[1]]["peak_mb"] / memory[mem_sizes[0]]["peak_mb"] - 1
    replay = run_child(kind="replay", n=100 if quick else 1000, concurrency=64)
    best = f"runner, {workers} workers" if workers > 1 else "runner, 1 worker"
    tau2, openevals = PEERS["tau2-bench"], PEERS["openevals"]
    figures = [
        (
            f"Ratio, {best}, concurrency {level}",
            ", ".join(f"{e} {ratios[(e, best, level)]:.2f}" for e in envs),
            f"≥ {TARGETS['ratio' if level == 256 else 'ratio64']}",
            f"tau2-bench {tau2['ratio']}, openevals {openevals['ratio']}" if level == 256 else "",
        )
        for level in (256, 64)
        if level in levels  # --quick stops at 64
    ]
    figures += [
        (
            "CPU per user turn (zero latency, concurrency 1)",
            ", ".join(f"{e} {cpu[e]['cpu_ms_per_turn']:.2f} ms" for e in envs),
            "",
            f"tau2-bench {tau2['cpu_ms']} ms, openevals {openevals['cpu_ms']} ms",
        ),
        (
            "  of which LangGraph alone (no-op nodes, same steps)",
            ", ".join(f"{e} {floor[e]['cpu_ms_per_turn']:.2f} ms" for e in envs),
            "",
            "",
        ),
        (
            "  ours: the rest (ledger, verifier, judge, record write)",
            ", ".join(f"{e} {ours[e]:.2f} ms" for e in envs),
            f"≤ {TARGETS['ours_ms']} ms",
            "",
        ),
        (
            "  with the corpus's questions and stalls as the agent's turns",
            ", ".join(
                f"{e} {corpus[e]['cpu_ms_per_turn']:.2f} ms (ours "
                f"{corpus[e]['cpu_ms_per_turn'] - floor[e]['cpu_ms_per_turn']:.2f})"
                for e in envs
            ),
            "",
            "agent turns of 84 to 98 characters, not 31: more to read",
        ),
        (
            "Event-loop passes per user turn (the CPU runs)",
            ", ".join(
                f"{e} {cpu[e]['passes_per_turn']:.1f} (LangGraph alone "
                f"{floor[e]['passes_per_turn']:.1f})"
                for e in envs
            ),
            "",
            "each pass queues a dialogue behind the others' ready work",
        ),
        (
            f"CPU the ideal rate needs at concurrency {levels[-1]} (at least)",
            ", ".join(
                f"{e} {ideals[(e, levels[-1])] * cpu[e]['cpu_ms_per_turn'] * USER_TURNS / 1000:.1f}"
                " cores"
                for e in envs
            )
            + f" (this machine: {os.cpu_count()})",
            "",
            "ideal dialogues/s × CPU per dialogue at zero latency",
        ),
        (
            "Peak memory of those CPU runs",
            ", ".join(f"{e} {cpu[e]['peak_mb']:.0f} MB" for e in envs),
            "",
            "",
        ),
        (
            "Peak memory (zero latency, concurrency 64)",
            ", ".join(f"{n:,} dialogues {m['peak_mb']:.0f} MB" for n, m in memory.items())
            + f" ({growth:+.0%})",
            "≤ +10 %",
            "",
        ),
        (
            f"Replay of a {replay['n']:,}-dialogue run",
            f"{replay['per_s']:.0f} dialogues/s ({replay['wall_s']:.1f} s), "
            f"{replay['identical']}/{replay['n']} identical",
            "",
            "",
        ),
    ]
    print()
    width = max(len(f[0]) for f in figures)
    for name, value, target, peers in figures:
        extra = "; ".join(x for x in (f"target {target}" if target else "", peers) if x)
        print(f"{name:<{width}}  {value}" + (f"   [{extra}]" if extra else ""))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small N, for a smoke test")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="N for the N-worker rows"
    )
    parser.add_argument(
        "--jitter",
        type=float,
        default=0.0,
        help="spread each model call's 50 ms uniformly by this fraction (e.g. 0.2: 40 to 60 "
        "ms), as real latencies vary; the protocol, and the peers' figures, use 0",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    JITTER[0] = args.jitter
    if args.child:
        child(json.loads(args.child))
    else:
        main(args.quick, args.workers)
