"""The report as a spreadsheet (XLSX, one sheet per table) and as one CSV (tablib)."""

import tablib

from .selectors import Report

FIGURE_HEADERS = [
    "Direct (duplicated)",
    "Direct (unduplicated)",
    "Indirect (duplicated)",
    "Indirect (unduplicated)",
]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Return a name as text a spreadsheet never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _figures(figures) -> list[int]:
    return [
        figures.direct,
        figures.direct_unduplicated,
        figures.indirect,
        figures.indirect_unduplicated,
    ]


def _summary(report: Report) -> tablib.Dataset:
    data = tablib.Dataset(headers=["Measure", "Value"], title="Summary")
    data.append(["Fiscal year", report.label])
    data.append(["Year to date through", f"Q{report.quarter}"])
    data.append(["Direct goal", report.direct_goal])
    data.append(["LEAs supported directly (duplicated)", report.total.direct])
    data.append(["LEAs supported directly (unduplicated)", report.total.direct_unduplicated])
    data.append(["Indirect goal", report.indirect_goal])
    data.append(["LEAs supported indirectly (duplicated)", report.total.indirect])
    data.append(["LEAs supported indirectly (unduplicated)", report.total.indirect_unduplicated])
    return data


def _key_results(report: Report) -> tablib.Dataset:
    data = tablib.Dataset(
        headers=["Area", "Key result", "Initiative", "Measure", "Target", "Actual", "% of target"],
        title="Key results",
    )
    for kr in report.key_results:
        data.append(
            [
                kr.area,
                _text(kr.name),
                _text(kr.initiative),
                kr.measure,
                kr.target,
                kr.actual,
                kr.percent,
            ]
        )
    return data


def report_databook(report: Report) -> tablib.Databook:
    sheets = [_summary(report)]
    for title, first, rows in report.breakdowns():
        sheet = tablib.Dataset(headers=[first, *FIGURE_HEADERS], title=title[:31])
        for row in rows:
            sheet.append([_text(row.label), *_figures(row.figures)])
        sheets.append(sheet)
    sheets.append(_key_results(report))
    return tablib.Databook(sheets)


def report_xlsx(report: Report) -> bytes:
    return report_databook(report).export("xlsx")


def report_csv(report: Report) -> str:
    """Return every table of the report in one CSV, a `Section` column naming the table."""
    data = tablib.Dataset(headers=["Section", "Item", *FIGURE_HEADERS, "Target", "Actual"])
    data.append(
        [
            "Year to date",
            f"{report.label} through Q{report.quarter}",
            *_figures(report.total),
            "",
            "",
        ]
    )
    data.append(["Goals", "Direct", "", "", "", "", report.direct_goal, report.total.direct])
    data.append(["Goals", "Indirect", "", "", "", "", report.indirect_goal, report.total.indirect])
    for title, _first, rows in report.breakdowns():
        for row in rows:
            data.append([title, _text(row.label), *_figures(row.figures), "", ""])
    for kr in report.key_results:
        data.append(
            [f"Key results: {kr.area}", _text(kr.name), "", "", "", "", kr.target, kr.actual]
        )
    return data.export("csv")
