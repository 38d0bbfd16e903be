"""Reports: terminal summary tables and readable transcripts."""

from simulator.report._summary import (
    SummaryRow,
    family_table,
    print_summary,
    summarize,
    summary_table,
)
from simulator.report._transcript import print_transcript, render_transcript

__all__ = [
    "SummaryRow",
    "family_table",
    "print_summary",
    "print_transcript",
    "render_transcript",
    "summarize",
    "summary_table",
]
