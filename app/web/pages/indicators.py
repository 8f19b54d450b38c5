"""Pages: the indicators board ("Chỉ tiêu": by group, each status in colour and words beside a small chart of its
values against the path to its target), an indicator's page (its history, the tasks serving it, the forms to record
a value and to set a target), and the secretariat's form to define one."""

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.access import policy
from app.access.policy import Action
from app.errors import ApiError, InvalidInput
from app.indicators import judgement
from app.indicators import service as indicator_service
from app.types import PathId
from app.web import service
from app.web.common import SignedInUser, form_of, from_validation, redirect, refusal, render, submit_once
from app.web.forms import IndicatorBoardQuery, IndicatorForm, MeasurementForm, TargetForm

router = APIRouter(include_in_schema=False)

MEASUREMENT_FIELDS = frozenset({"period", "value", "numerator", "denominator", "official", "source", "evidence_url",
                                "note", "supersedes_id"})
TARGET_FIELDS = frozenset({"period", "value", "baseline_value", "baseline_on", "note"})
INDICATOR_FIELDS = frozenset({"code", "name", "unit", "kind", "direction", "comparator", "group_name",
                              "source_directive_id", "source_document", "reporting_agency_id", "frequency",
                              "contributing_agency_ids"})


async def _board(request: Request, user, *, status_code: int = 200, form: dict | None = None,
                 form_errors: dict | None = None):
    query, typed, errors = IndicatorBoardQuery.read(dict(request.query_params), today=service.today())

    def read(session):
        groups = [] if errors else service.indicator_board(
            session, user.principal, as_of=query.as_of, group=query.group, statuses=query.statuses,
            agency_id=query.agency_id)
        return (groups, service.indicator_groups(session), service.agency_choices(session, active_only=False),
                service.directive_choices(session) if form is not None or policy.allows(
                    user.principal, Action.define_indicator) else [])

    groups, group_names, agencies, directives = await unit_of_work.read(read)
    counts = service.status_counts([view.state for _, views in groups for view in views])
    return render(request, "indicators.html", user, status_code=422 if errors else status_code, groups=groups,
                  counts=counts, filters=typed, errors=errors, as_of=query.as_of,
                  group_names=group_names, agencies=agencies, directives=directives, statuses=judgement.Status,
                  form=form or {}, form_errors=form_errors or {})


@router.get("/indicators")
async def indicator_board(request: Request, user: SignedInUser):
    return await _board(request, user)


@router.post("/indicators")
async def indicator_create(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    try:
        indicator_in = IndicatorForm.of(form)

        def work(session) -> str:
            indicator = indicator_service.create(session=session, indicator_in=indicator_in, principal=user.principal)
            return f"/indicators/{indicator.id}"

        location, _ = await submit_once(user, form, work)
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=INDICATOR_FIELDS)
        return await _board(request, user, status_code=status, form=form, form_errors=errors)
    service.forget_choices()
    return redirect(location, "Đã thêm chỉ tiêu. Hãy đặt chỉ tiêu cho kỳ đầu tiên.", request=request, user=user)


async def _indicator_page(request: Request, user, indicator_id: int, *, status_code: int = 200,
                          open_form: str | None = None, form: dict | None = None,
                          errors: dict | None = None):
    as_of = service.today()

    def read(session) -> dict[str, Any]:
        state = indicator_service.state_of(session=session, principal=user.principal, indicator_id=indicator_id,
                                           as_of=as_of)
        indicator = state.indicator
        agencies = service.agency_names(session)
        directive = None
        if indicator.source_directive_id is not None:
            directive = next((d for d in service.directive_choices(session)
                              if d.id == indicator.source_directive_id), None)
        in_force = {m.id for m in state.values_in_force()}
        measurements = [{"m": m, "text": service.measurement_text(indicator, m),
                         "period": m.period, "in_force": m.id in in_force,
                         "superseded_by": state.superseded_by.get(m.id),
                         "agency": agencies.get(m.recorded_by_agency_id, "")} for m in reversed(state.measurements)]
        targets = [{"t": t, "text": service.target_text(indicator, t),
                    "baseline": service.value_text(indicator, t.baseline_value)}
                   for t in reversed(state.targets)]
        return {"view": service.indicator_view(state, agencies, chart="large"), "indicator": indicator,
                "agencies": agencies, "directive": directive, "measurements": measurements, "targets": targets,
                "tasks": service.tasks_by_ids(session, state.task_ids),
                "may_record": indicator_service.may_record(session=session, principal=user.principal,
                                                           indicator=indicator),
                "may_define": policy.allows(user.principal, Action.define_indicator),
                "frequency_example": indicator_service.FREQUENCY_WORDS[judgement.Frequency(indicator.frequency)][2]}

    view = await unit_of_work.read(read)
    return render(request, "indicator.html", user, status_code=status_code, open_form=open_form, form=form or {},
                  errors=errors or {}, **view)


@router.get("/indicators/{indicator_id}")
async def indicator_page(request: Request, indicator_id: PathId, user: SignedInUser):
    return await _indicator_page(request, user, indicator_id)


async def _indicator_action(request: Request, user, indicator_id: int, name: str, fields: frozenset[str],
                            work, done: str):
    """A form on the indicator page, made at most once however often it is sent (a value is never recorded twice
    by a double click); a refusal shows the page again with that form open, what was typed, each problem at its
    field."""
    form = await form_of(request, user)
    try:
        location, _ = await submit_once(user, form, lambda session: work(session, form))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=fields)
        return await _indicator_page(request, user, indicator_id, status_code=status, open_form=name, form=form,
                                     errors=errors)
    return redirect(location, done, request=request, user=user)


def _measurement_of(session, indicator_id: int, form: dict) -> MeasurementForm:
    """The form read; when a field cannot be read (the period left empty), the value is judged as well, so that one
    refusal names every field to mend."""
    try:
        return MeasurementForm.of(form)
    except ValidationError as error:
        problems = from_validation(error).problems
        if not {p.field for p in problems} & {"value", "numerator", "denominator"}:
            posted = MeasurementForm.posted(form)
            numbers = {name: _float(posted[name]) for name in ("value", "numerator", "denominator")}
            problems += indicator_service.value_problems(session=session, indicator_id=indicator_id, **numbers)
        raise InvalidInput(problems) from error


def _float(text) -> float | None:
    return None if text is None else float(text)


@router.post("/indicators/{indicator_id}/measurements")
async def indicator_measurement(request: Request, indicator_id: PathId, user: SignedInUser):
    def work(session, form) -> str:
        indicator_service.record_measurement(session=session, indicator_id=indicator_id,
                                             measurement_in=_measurement_of(session, indicator_id, form),
                                             principal=user.principal)
        return f"/indicators/{indicator_id}"

    return await _indicator_action(request, user, indicator_id, "measurement", MEASUREMENT_FIELDS, work,
                                   "Đã ghi nhận số liệu.")


@router.post("/indicators/{indicator_id}/targets")
async def indicator_target(request: Request, indicator_id: PathId, user: SignedInUser):
    def work(session, form) -> str:
        indicator_service.set_target(session=session, indicator_id=indicator_id, target_in=TargetForm.of(form),
                                     principal=user.principal)
        return f"/indicators/{indicator_id}"

    return await _indicator_action(request, user, indicator_id, "target", TARGET_FIELDS, work, "Đã đặt chỉ tiêu.")
