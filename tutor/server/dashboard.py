"""The teacher dashboard: server-rendered HTML (Jinja2, autoescaped), no scripts or external
assets, so it works on the school's network without internet and on a phone. A teacher logs in
and sees only their own classes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from tutor.core.i18n import _, current_language, is_rtl, ngettext
from tutor.core.progress.encounter import COMPETENCIES
from tutor.server import reports
from tutor.server.accounts import login, token_hash
from tutor.server.charts import line_chart
from tutor.server.storage import ClassInfo, Forbidden, Storage, Teacher

COOKIE = "tutor_session"

env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
)
env.globals["_"] = _


def competency_labels() -> dict[str, str]:
    return {
        "history": _("History"),
        "examination": _("Examination"),
        "investigations": _("Investigations"),
        "diagnosis": _("Diagnosis"),
        "management": _("Management"),
    }


def render(name: str, status: int = 200, **context: object) -> HTMLResponse:
    context.setdefault("teacher", None)
    html = env.get_template(name).render(
        lang=current_language(),
        rtl=is_rtl(),
        competencies=COMPETENCIES,
        labels=competency_labels(),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


def _teacher(request: Request) -> Teacher | None:
    token = request.cookies.get(COOKIE)
    return _storage(request).session_teacher(token_hash(token), time.time()) if token else None


def _own_class(request: Request, teacher: Teacher) -> ClassInfo:
    wanted = request.path_params["class_id"]
    for klass in _storage(request).classes_of(teacher.id):
        if klass.id == wanted:
            return klass
    raise Forbidden(str(wanted))


def _to_login() -> Response:
    return RedirectResponse("/login", status_code=303)


def login_page(request: Request) -> Response:
    return render("login.html", title=_("Log in"))


async def login_submit(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    name, password = form.get("name", [""])[0], form.get("password", [""])[0]
    token = await run_in_threadpool(login, _storage(request), name, password)
    if token is None:
        return render("login.html", status=401, title=_("Log in"), failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
    return response


def logout(request: Request) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        _storage(request).drop_session(token_hash(token))
    response = _to_login()
    response.delete_cookie(COOKIE)
    return response


def home(request: Request) -> Response:
    teacher = _teacher(request)
    if teacher is None:
        return _to_login()
    classes = _storage(request).classes_of(teacher.id)
    return render("classes.html", title=_("Your classes"), teacher=teacher, classes=classes)


ClassView = Callable[[Request, Teacher, ClassInfo], Response]


def _html_not_found(teacher: Teacher) -> Response:
    return render("classes.html", status=404, title=_("Not found"), teacher=teacher, classes=[])


def _bare_not_found(_teacher: Teacher) -> Response:
    return Response(status_code=404)


def class_view(
    not_found: Callable[[Teacher], Response] = _html_not_found,
) -> Callable[[ClassView], Callable[[Request], Response]]:
    """A page about one class: the teacher must be logged in and the class must be theirs.

    Another teacher's class (or a revoke of another class's device) answers 404, as if it did not
    exist, so class ids cannot be probed.
    """

    def wrap(view: ClassView) -> Callable[[Request], Response]:
        def page(request: Request) -> Response:
            teacher = _teacher(request)
            if teacher is None:
                return _to_login()
            try:
                return view(request, teacher, _own_class(request, teacher))
            except Forbidden:
                return not_found(teacher)

        return page

    return wrap


def _results(request: Request, klass: ClassInfo) -> list[reports.Result]:
    return reports.results(_storage(request).events_of_class(klass.id, ("encounter.finished",)))


@class_view()
def class_page(request: Request, teacher: Teacher, klass: ClassInfo) -> Response:
    items = _results(request, klass)
    learners = reports.by_learner(items)
    summary = ngettext(
        "{n} attempt by {learners} learners.", "{n} attempts by {learners} learners.", len(items)
    ).format(n=len(items), learners=len(learners))
    return render(
        "class.html",
        title=klass.name,
        teacher=teacher,
        klass=klass,
        summary=summary,
        learners=learners,
        cases=reports.by_case(items),
        weakest=reports.weakest(items),
        chart=line_chart(reports.over_time(items)),
        devices=_storage(request).devices_of_class(klass.id),
    )


@class_view()
def learner_page(request: Request, teacher: Teacher, klass: ClassInfo) -> Response:
    learner_id = request.path_params["learner_id"]
    items = [r for r in _results(request, klass) if r.learner_id == learner_id]
    if not items:
        return _html_not_found(teacher)
    return render(
        "learner.html",
        title=items[-1].learner_name,
        teacher=teacher,
        klass=klass,
        cases=reports.by_case(items),
        weakest=reports.weakest(items),
        chart=line_chart(reports.over_time(items)),
    )


@class_view(_bare_not_found)
def results_csv(request: Request, _teacher: Teacher, klass: ClassInfo) -> Response:
    return Response(
        reports.csv_text(_results(request, klass)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="class-{klass.id}.csv"'},
    )


@class_view(_bare_not_found)
def revoke(request: Request, teacher: Teacher, klass: ClassInfo) -> Response:
    _storage(request).revoke_device(teacher.id, request.path_params["device_id"])
    return RedirectResponse(f"/class/{klass.id}", status_code=303)


routes = [
    Route("/", home),
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/class/{class_id:int}", class_page),
    Route("/class/{class_id:int}/learner/{learner_id}", learner_page),
    Route("/class/{class_id:int}/results.csv", results_csv),
    Route("/class/{class_id:int}/device/{device_id}/revoke", revoke, methods=["POST"]),
]
