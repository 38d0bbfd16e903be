"""The CRM sandbox: a deterministic SQLite CRM, its read-only tools and its task families."""

from simulator.env.crm._db import ROW_LIMIT, QueryResult, ReadOnlyDB, build, dump, image
from simulator.env.crm._generate import generate_pack, write_pack
from simulator.env.crm._tables import COMPANY, TABLES, TODAY, describe
from simulator.env.crm._tools import INSTRUCTIONS, CRMEnvironment

__all__ = [
    "COMPANY",
    "INSTRUCTIONS",
    "ROW_LIMIT",
    "TABLES",
    "TODAY",
    "CRMEnvironment",
    "QueryResult",
    "ReadOnlyDB",
    "build",
    "describe",
    "dump",
    "generate_pack",
    "image",
    "write_pack",
]
