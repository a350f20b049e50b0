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
    ItemState.OVERDUE: ("OVERDUE", "bold red"),
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
    return f"{deadline.label}{deadline.marks}"


def _short(deadline: Due | None) -> str:
    """The day only, marked '(estimated)' or '(unverified)': for lists; the full label with
    its pattern is shown once, at the next deadline."""
    if deadline is None or deadline.on is None:
        return "unknown" if deadline is not None else ""
    estimated = " (estimated)" if deadline.kind.value == "estimated" else ""
    return f"{deadline.on}{estimated}{deadline.marks}"


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
        when = "" if finished else _short(item.due)
        if item.due is not None and not finished:
            when = f"{when}\n{item.due.basis}"
        if item.recommended_by is not None and item.recommended_by.on is not None:
            when += f"\nbest by {_short(item.recommended_by)}"
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
        when = _short(action.due) or "—"
        if action.overdue:
            when = f"OVERDUE: {when}"
        table.add_row(str(number), text, when)
    return table


def _now(plan: Plan) -> Panel:
    now = plan.now
    text = Text(now.headline, style="bold")
    start = f"from {now.phase_start} " if now.phase_start else ""
    end = f"until {now.phase_end}" if now.phase_end else "open-ended"
    estimated = " (estimated dates)" if now.phase_estimated else ""
    then = f"; then: {now.next_phase_title}" if now.next_phase_title else ""
    text.append(f"\nThis phase runs {start}{end}{estimated}{then}.", style="default")
    if now.next_deadline is not None:
        deadline = now.next_deadline
        days = now.days_to_next_deadline
        text.append("\nNext deadline: ", style="bold")
        text.append(f"{deadline.basis}: {_due(deadline)}")
        if days is not None:
            text.append(f" — in {days} day{'' if days == 1 else 's'}", style="bold")
    if now.match_over and now.next_cycle:
        text.append(f"\nThe {now.match_year + 1} Match:", style="bold")
        for event in now.next_cycle:
            text.append(f"\n  {event.date}: {event.summary}")
    text.append("\n\nNext actions for this phase:", style="bold")
    for number, action in enumerate(now.actions, start=1):
        by = f" (by {_short(action.due)})" if action.due is not None and action.due.on else ""
        text.append(f"\n  {number}. {action.title}{by}")
    if not now.actions:
        text.append("\n  Nothing open.")
    if now.overdue:
        text.append("\nOverdue:", style="bold red")
        for action in now.overdue:
            text.append(f"\n  • {action.title} (was due {_short(action.due)})", style="red")
    text.append(f"\nToday is {now.today} in {now.time_zone}.", style="dim")
    return Panel(text, title=f"Now — {now.match_year} Match", title_align="left")


def _header(plan: Plan, console: Console) -> None:
    who = plan.applicant
    console.rule(f"matchready plan — {who.name}")
    console.print(
        f"{who.applicant_type}; target: {who.target_match_year} Match, "
        f"{', '.join(who.specialties)}; as of {plan.as_of}"
    )


def render_now(plan: Plan, console: Console) -> None:
    """Print only the first screen: where the applicant stands today."""
    _header(plan, console)
    console.print(_now(plan))


def render_plan(plan: Plan, console: Console) -> None:
    """Print the whole plan: Now first, then the long sections."""
    who = plan.applicant
    render_now(plan, console)
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
            official = event.kind.value == "official"
            mark = "" if event.verified or not official else " (unverified)"
            dates.add_row(event.date, f"{event.summary}{mark}")
        console.print(dates)
