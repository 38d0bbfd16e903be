"""Every task family, by org, in the order the pack lists them."""

from __future__ import annotations

from simulator.env.crm import _fam_privacy as privacy
from simulator.env.crm._fam_quotes import InvalidConfiguration, QuoteApproval
from simulator.env.crm._fam_sales import ConversionRate, SalesAmount, SalesCycle
from simulator.env.crm._fam_service import (
    BestRegion,
    HandleTime,
    MonthlyTrend,
    TopIssue,
    TransferCount,
)
from simulator.env.crm._fam_text import (
    Disambiguation,
    KnowledgeQA,
    LeadQualification,
    PolicyViolation,
    SalesInsight,
)
from simulator.env.crm._fam_workflow import ActivityPriority, CaseRouting, LeadRouting, WrongStage
from simulator.env.crm._task import Family

FAMILIES: dict[str, tuple[Family, ...]] = {
    "b2b": (
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
        privacy.ContactB2B(),
        privacy.InternalB2B(),
        privacy.KnowledgeB2B(),
    ),
    "b2c": (
        CaseRouting(),
        HandleTime(),
        TransferCount(),
        TopIssue(),
        MonthlyTrend(),
        BestRegion(),
        Disambiguation(),
        KnowledgeQA(),
        PolicyViolation(),
        privacy.ContactB2C(),
        privacy.InternalB2C(),
        privacy.KnowledgeB2C(),
    ),
}
"""The families of each org: the 19 CRMArena-Pro business families split by the org that
holds their data, and the three confidentiality categories in both."""


def family_names(org: str) -> list[str]:
    return [f.name for f in FAMILIES[org]]


def find(org: str, name: str) -> Family:
    """The family ``name`` of ``org``; KeyError when there is none."""
    for family in FAMILIES[org]:
        if family.name == name:
            return family
    raise KeyError(f"{org}/{name}")
