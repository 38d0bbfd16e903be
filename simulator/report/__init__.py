"""Reports: terminal tables, CSV, plots, the self-contained HTML report, transcripts."""

from simulator.report._csv import summary_rows, write_csv
from simulator.report._html import REPORT_FILE, write_html
from simulator.report._html_dialogue import render_dialogue
from simulator.report._outputs import RunOutputs, write_run_outputs
from simulator.report._plots import plots_unavailable, render_plots
from simulator.report._summary import (
    Grid,
    family_table,
    print_summary,
    rich_table,
    summarize,
    summary_tables,
)
from simulator.report._transcript import print_transcript, render_transcript

__all__ = [
    "REPORT_FILE",
    "Grid",
    "RunOutputs",
    "family_table",
    "plots_unavailable",
    "print_summary",
    "print_transcript",
    "render_dialogue",
    "render_plots",
    "render_transcript",
    "rich_table",
    "summarize",
    "summary_rows",
    "summary_tables",
    "write_csv",
    "write_html",
    "write_run_outputs",
]
