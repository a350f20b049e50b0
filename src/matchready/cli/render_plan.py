"""Render a Plan with Rich so that it reads well at 80 columns."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from matchready.domain.report import Due, ItemState, Plan, Severity

STATE_STYLE = {
    ItemState.DONE: ("done", "green"),
    ItemState.IN_PROGRESS: ("in progress", "cyan"),
    ItemState.TO_DO: ("to do", "yellow"),
    ItemState.BLOCKED: ("BLOCKED", "bold red"),
    ItemState.UNKNOWN: ("unknown", "magenta"),
}
SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
}


def _due(deadline: Due | None) -> str:
    if deadline is None:
        return ""
    mark = "" if deadline.verified or deadline.on is None else " (unverified)"
    return f"{deadline.label}{mark}"


def _checklist(plan: Plan) -> Table:
    table = Table(title="ECFMG checklist", title_justify="left", expand=True, show_lines=True)
    table.add_column("step", ratio=5)
    table.add_column("state", no_wrap=True)
    table.add_column("due", ratio=2)
    for item in plan.checklist:
        label, style = STATE_STYLE[item.state]
        step = Text(item.title, style="bold")
        step.append(f"\n{item.detail}", style="default")
        if item.action:
            step.append(f"\n→ {item.action}", style="italic")
        finished = item.state is ItemState.DONE
        when = "" if finished else _due(item.due)
        if item.due is not None and not finished:
            when = f"{when}\n{item.due.basis}"
        if item.recommended_by is not None and item.recommended_by.on is not None:
            when += f"\nbest by {_due(item.recommended_by)}"
        table.add_row(step, Text(label, style=style), when)
    return table


def _yog(plan: Plan) -> Panel:
    lines = Text(f"Graduation: {plan.yog.graduation}\n")
    for point in plan.yog.points:
        lines.append(f"• {point.label}: ", style="bold")
        lines.append(f"{point.text}\n")
    lines.append(plan.yog.note, style="dim")
    return Panel(lines, title="Year of graduation", title_align="left")


def _flags(plan: Plan) -> Panel:
    if not plan.red_flags:
        return Panel("No red flag found.", title="Red flags", title_align="left")
    parts: list[Text] = []
    for flag in plan.red_flags:
        text = Text()
        text.append(f"[{flag.severity.value}] ", style=SEVERITY_STYLE[flag.severity])
        text.append(flag.title, style="bold")
        if flag.rule_of_thumb:
            text.append(" (rule of thumb)", style="dim")
        text.append(f"\n  Why: {flag.cause}")
        for item in flag.evidence:
            text.append(f"\n  • {item}", style="dim")
        for action in flag.actions:
            text.append(f"\n  → {action}", style="italic")
        for citation in flag.citations:
            text.append(f"\n  Source: {citation}", style="dim")
        parts.append(text)
    return Panel(Group(*parts), title="Red flags", title_align="left")


def _visa(plan: Plan) -> Panel:
    advice = plan.visa
    text = Text(advice.recommendation, style="bold")
    for reason in advice.reasons:
        text.append(f"\n  {reason}")
    for option in advice.options:
        text.append(f"\n\n{option.route}", style="bold")
        text.append(f" — sponsor: {option.sponsor}")
        for condition in option.conditions:
            mark = {True: "✓", False: "✗", None: "?"}[condition.met]
            text.append(f"\n  {mark} {condition.text}")
        for consequence in option.consequences:
            text.append(f"\n  • {consequence}", style="dim")
    for risk in advice.risks:
        text.append(f"\n\n! {risk.title}", style="bold yellow" if risk.applies else "bold")
        text.append(f"\n  {risk.text}")
        for citation in risk.citations:
            text.append(f"\n  Source: {citation}", style="dim")
    return Panel(text, title="Visa", title_align="left")


def _actions(plan: Plan) -> Table:
    table = Table(title="Next actions", title_justify="left", expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("action", ratio=5)
    table.add_column("by", ratio=2)
    for number, action in enumerate(plan.next_actions, start=1):
        text = Text(action.title)
        text.append(f"\n{action.why}", style="dim")
        table.add_row(str(number), text, _due(action.due) or "—")
    return table


def render_plan(plan: Plan, console: Console) -> None:
    """Print the whole plan."""
    who = plan.applicant
    console.rule(f"matchready plan — {who.name}")
    console.print(
        f"{who.applicant_type}; target: {who.target_match_year} Match, "
        f"{', '.join(who.specialties)}; as of {plan.as_of}"
    )
    console.print(_checklist(plan))
    console.print(_yog(plan))
    console.print(_flags(plan))
    console.print(_visa(plan))
    console.print(_actions(plan))
    if plan.unknowns:
        text = Text()
        for note in plan.unknowns:
            text.append(f"• {note}\n")
        console.print(Panel(text, title="Not known (verify)", title_align="left"))
    if plan.cycle:
        dates = Table(title=f"{who.target_match_year} Match cycle", title_justify="left")
        dates.add_column("date", no_wrap=True)
        dates.add_column("event")
        for event in plan.cycle:
            mark = "" if event.verified else " (unverified)"
            dates.add_row(event.date, f"{event.summary}{mark}")
        console.print(dates)
