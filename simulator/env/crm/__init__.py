"""The CRM sandbox: two generated SQLite orgs, their tools, task families and persona pack."""

from simulator.env.crm._db import (
    RESULT_LIMIT,
    ROW_LIMIT,
    TIME_LIMIT,
    VALUE_LIMIT,
    QueryResult,
    World,
    build,
    dump,
    world,
)
from simulator.env.crm._generate import DEFAULT_N, generate_pack, write_pack
from simulator.env.crm._registry import FAMILIES, family_names
from simulator.env.crm._tables import COMPANIES, ORGS, TODAY, Table, describe
from simulator.env.crm._tables_b2b import TABLES_B2B
from simulator.env.crm._tables_b2c import TABLES_B2C
from simulator.env.crm._task import Family, check
from simulator.env.crm._tools import CRMEnvironment, instructions

TABLES = {"b2b": TABLES_B2B, "b2c": TABLES_B2C}
"""Each org's tables."""

__all__ = [
    "COMPANIES",
    "DEFAULT_N",
    "FAMILIES",
    "ORGS",
    "RESULT_LIMIT",
    "ROW_LIMIT",
    "TABLES",
    "TIME_LIMIT",
    "TODAY",
    "VALUE_LIMIT",
    "CRMEnvironment",
    "Family",
    "QueryResult",
    "Table",
    "World",
    "build",
    "check",
    "describe",
    "dump",
    "family_names",
    "generate_pack",
    "instructions",
    "world",
    "write_pack",
]
