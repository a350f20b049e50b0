"""HTML pages: profile (form editor, import, export), plan, odds, specialties."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from matchready.domain.facts import ApplicantType
from matchready.domain.odds import MAX_RANKS
from matchready.domain.screening import Verdict
from matchready.errors import ProfileError
from matchready.io.profile import dump_profile, validate_profile_data
from matchready.report.charts import odds_charts, specialties_odds_chart
from matchready.services.plan import build_plan
from matchready.services.profile_screening import verdict_page
from matchready.services.profiles import (
    import_profile_text,
    save_profile_data,
    starting_data,
)
from matchready.services.specialties import competitiveness
from matchready.web.csrf import require_token
from matchready.web.filters import QueryForm
from matchready.web.forms import SPECIALTY_FIELDS, field_errors, form_to_data, profile_form
from matchready.web.routes.common import (
    as_of,
    cached_page,
    odds_of,
    page,
    require_profile,
    saved_or_none,
    screened_programs,
    specialty_choices,
    specialty_codes,
)
from matchready.web.routes.cycle import costs_ahead
from matchready.web.state import owner, state

router = APIRouter()
protected = [Depends(require_token)]
MAX_UPLOAD = 256 * 1024
CHOICES = {name for name, kind in SPECIALTY_FIELDS.items() if kind == "choices"}


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    """Where am I: the cycle phase and the next deadline (the plan's `now`), three next
    actions, the checklist as a strip and the key figures (odds with interval, programs
    eligible and to verify, costs ahead), each linking to its page."""
    saved = saved_or_none(request)
    if saved is None:
        return page(request, "home.html", {"plan": None})
    when = as_of(request, None, saved.profile)
    facts = state(request).facts
    known = state(request).programs()
    costs, tracked = await costs_ahead(request, saved, when)

    def context() -> dict[str, object]:
        plan = saved.remember(
            request, ("plan", when), lambda: build_plan(saved.profile, facts, when)
        )
        report = screened_programs(request, saved, known, when, "", "")
        _, counts, _ = verdict_page(report, None, 0, 0)
        return {
            "plan": plan,
            "now": plan.now,
            "actions": plan.next_actions[:3],
            "done": sum(1 for item in plan.checklist if item.state.value == "done"),
            "odds": odds_of(request, saved, list(saved.profile.target.specialties)[:1], None),
            "programs": {
                "total": len(known.table.programs),
                "eligible": counts[Verdict.ELIGIBLE],
                "unknown": counts[Verdict.UNKNOWN],
            },
            "costs": costs,
        }

    key = saved.key("home", when, known.version, tracked)
    return cached_page(request, key, "home.html", context)


def _fieldsets(request: Request, data: dict[str, object], errors: dict[str, str]) -> Markup:
    template = request.app.state.templates.get_template("partials/profile_fields.html")
    names = dict(specialty_choices(request))
    return Markup(template.render(groups=profile_form(data, names), errors=errors))


def _form_page(
    request: Request, fieldsets: Markup, errors: dict[str, str], status: int = 200
) -> Response:
    saved = request.query_params.get("saved")
    context = {"fieldsets": fieldsets, "errors": errors, "saved": saved}
    return page(request, "profile.html", context, status)


def _invalid_form(request: Request, data: dict[str, object], errors: dict[str, str]) -> Response:
    return _form_page(request, _fieldsets(request, data, errors), errors, status=422)


@router.get("/profile", include_in_schema=False)
async def profile_page(request: Request) -> Response:
    """The form of the saved profile (or of the template). Its fields depend on nothing but the
    saved text, so they are rendered once per text; the page around them carries the token."""
    text = state(request).profiles.read(owner(request)) or ""
    cache: dict[str, Markup] = request.app.state.form_cache
    if text not in cache:
        if len(cache) >= 256:
            cache.clear()
        data = starting_data(state(request).profiles, owner(request))
        cache[text] = _fieldsets(request, data, {})
    return _form_page(request, cache[text], {})


async def _submitted(request: Request) -> dict[str, str]:
    """The submitted fields; a field sent several times (the target specialties' checkboxes)
    as its values joined by commas, as the form's text field takes them."""
    form = await request.form()
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            several = name in fields and name in CHOICES
            fields[name] = f"{fields[name]},{value}" if several else value
    return fields


@router.post("/profile", include_in_schema=False, dependencies=protected)
async def profile_save(request: Request) -> Response:
    data = form_to_data(await _submitted(request))
    try:
        save_profile_data(state(request).profiles, owner(request), data)
    except ProfileError as error:
        return _invalid_form(request, data, field_errors(error, profile_form(data)))
    return RedirectResponse("/profile?saved=1", status_code=303)


@router.post("/profile/check", include_in_schema=False, dependencies=protected)
async def profile_check(request: Request) -> Response:
    """HTMX: validate as the user types; answer with the messages to show beside the fields."""
    fields = await _submitted(request)
    data = form_to_data(fields)
    groups = profile_form(data)
    errors: dict[str, str] = {}
    try:
        validate_profile_data(data)
    except ProfileError as error:
        errors = field_errors(error, groups)
    names = [f.name for g in groups for f in g.fields]
    return page(request, "partials/field_errors.html", {"names": names, "errors": errors})


@router.post("/profile/import", include_in_schema=False, dependencies=protected)
async def profile_import(
    request: Request, file: Annotated[UploadFile, File(description="A profile TOML file")]
) -> Response:
    raw = await file.read(MAX_UPLOAD + 1)
    name = file.filename or "upload.toml"
    try:
        if len(raw) > MAX_UPLOAD:
            raise ProfileError(f"{name}: larger than {MAX_UPLOAD // 1024} KiB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ProfileError(f"{name}: not UTF-8 text") from None
        import_profile_text(state(request).profiles, owner(request), text, name)
    except ProfileError as error:
        data = starting_data(state(request).profiles, owner(request))
        messages = {"_form": "; ".join(str(p) for p in error.problems)}
        return _invalid_form(request, data, messages)
    return RedirectResponse("/profile?saved=1", status_code=303)


@router.get("/profile/export", include_in_schema=False)
async def profile_export(request: Request) -> Response:
    profile = require_profile(request)
    return Response(
        dump_profile(profile),
        media_type="application/toml",
        headers={"content-disposition": 'attachment; filename="matchready-profile.toml"'},
    )


@router.get("/plan", include_in_schema=False)
async def plan_page(request: Request) -> Response:
    saved = saved_or_none(request)
    if saved is None:
        return RedirectResponse("/profile", status_code=303)
    when = as_of(request, request.query_params.get("as_of"), saved.profile)
    plan = saved.remember(
        request, ("plan", when), lambda: build_plan(saved.profile, state(request).facts, when)
    )
    return cached_page(request, saved.key("plan", when), "plan.html", lambda: {"plan": plan})


@router.get("/odds", include_in_schema=False)
async def odds_page(request: Request) -> Response:
    saved = saved_or_none(request)
    if saved is None:
        return RedirectResponse("/profile", status_code=303)
    form = QueryForm(request)
    ranks = form.number("ranks", MAX_RANKS)
    wanted = form.specialty(specialty_codes(request))
    ranks_text = "" if ranks is None else str(ranks)
    codes = [wanted] if wanted else list(saved.profile.target.specialties)

    def context() -> dict[str, object]:
        results = odds_of(request, saved, codes, ranks)
        facts = state(request).facts
        charts = [
            [Markup(svg) for svg in odds_charts(saved.profile, facts, r, ranks)] for r in results
        ]
        across = Markup(specialties_odds_chart(results)) if len(results) > 1 else None
        return {
            "results": list(zip(results, charts, strict=True)),
            "across": across,
            "ranks": ranks_text,
            "specialty": wanted,
            "form": form,
            "specialties": specialty_choices(request),
        }

    if form.errors:
        return page(request, "odds.html", context(), form.status)
    return cached_page(request, saved.key("odds", wanted, ranks_text), "odds.html", context)


@router.get("/specialties", include_in_schema=False)
async def specialties_page(request: Request) -> Response:
    sort = request.query_params.get("sort") or "match_rate_pct"
    facts = state(request).facts

    def context() -> dict[str, object]:
        return {"table": competitiveness(facts, ApplicantType.NON_US_IMG, sort), "sort": sort}

    return cached_page(request, ("specialties", sort), "specialties.html", context)
