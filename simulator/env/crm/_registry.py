"""Every task family, by org, in the order the pack lists them."""

from __future__ import annotations

from simulator.env.crm import _fam_privacy as privacy
from simulator.env.crm._fam_calls import LeadQualification, SalesInsight
from simulator.env.crm._fam_knowledge import KnowledgeQA, PolicyViolation
from simulator.env.crm._fam_quotes import InvalidConfiguration, QuoteApproval
from simulator.env.crm._fam_sales import ConversionRate, SalesAmount, SalesCycle
from simulator.env.crm._fam_service import (
    BestRegion,
    HandleTime,
    MonthlyTrend,
    TopIssue,
    TransferCount,
)
from simulator.env.crm._fam_text import Disambiguation
from simulator.env.crm._fam_workflow import ActivityPriority, CaseRouting, LeadRouting, WrongStage
from simulator.env.crm._tables import ORGS
from simulator.env.crm._task import Family

SERVICE: tuple[type[Family], ...] = (
    CaseRouting,
    HandleTime,
    TransferCount,
    TopIssue,
    MonthlyTrend,
    BestRegion,
    Disambiguation,
    KnowledgeQA,
    PolicyViolation,
)
"""The nine service families of CRMArena-Pro (its B2C org's)."""

SALES: tuple[type[Family], ...] = (
    SalesAmount,
    SalesCycle,
    ConversionRate,
    LeadRouting,
    WrongStage,
    ActivityPriority,
    QuoteApproval,
    InvalidConfiguration,
    SalesInsight,
    LeadQualification,
)
"""The ten sales and quote families of CRMArena-Pro (its B2B org's)."""

PRIVACY: tuple[type[Family], ...] = (privacy.Contact, privacy.InternalData, privacy.Knowledge)
"""The three confidentiality categories."""

FAMILIES: dict[str, tuple[Family, ...]] = {
    org: tuple(cls(org) for cls in (*SERVICE, *SALES, *PRIVACY)) for org in ORGS
}
"""The families of each org: all 19 business families and the three confidentiality
categories in both (each org has a service desk and a sales side)."""


def family_names(org: str) -> list[str]:
    return [f.name for f in FAMILIES[org]]


def find(org: str, name: str) -> Family:
    """The family ``name`` of ``org``; KeyError when there is none."""
    for family in FAMILIES[org]:
        if family.name == name:
            return family
    raise KeyError(f"{org}/{name}")
