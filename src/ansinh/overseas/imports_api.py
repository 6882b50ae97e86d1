"""The worker-list import through the API (mounted at /api/v1/overseas): upload an Excel file for a
registered contract, follow its check, download the errors, confirm a list with none. Thin: the services
and selectors do the work."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File as FileParam
from ninja import Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ansinh.accounts.selectors import require_permission
from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.import_schemas import ImportDetailOut, ImportOut
from ansinh.overseas.models import WorkerImport
from ansinh.overseas.services import import_checking, import_sheets, imports

router = Router(tags=["overseas"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTED_ERRORS = 50


def _out(imported: WorkerImport, *, errors: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": imported.pk,
        "contract_id": imported.contract_id,
        "filename": imported.filename,
        "status": imported.status,
        "status_label": imported.get_status_display(),
        "rows_total": imported.rows_total,
        "rows_checked": imported.rows_checked,
        "error_count": imported.error_count,
        # The stored errors are the first ones, up to the cap (the list of them is not read for this).
        "errors_listed": min(imported.error_count, import_checking.MAX_STORED_ERRORS),
        "saved_count": imported.saved_count,
        "created_at": imported.created_at,
        "checked_at": imported.checked_at,
        "saved_at": imported.saved_at,
        "signed_by": imported.signed_by,
        "signed_at": imported.signed_at,
    }
    if errors:
        out["errors"] = (imported.errors or [])[:LISTED_ERRORS]
    return out


def _spreadsheet(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _import_for(request: HttpRequest, import_id: int) -> WorkerImport:
    user = current_user(request)
    require_permission(user, perms.WORKER_REGISTER)
    return selectors.import_get_for(user, import_id)


@router.get("/imports/template.xlsx", summary="The empty worker list to fill in (Excel)")
def import_template(request: HttpRequest) -> HttpResponse:
    current_user(request)
    return _spreadsheet(import_sheets.import_template(), "mau-danh-sach-nguoi-lao-dong.xlsx")


@router.post(
    "/imports",
    response={201: ImportOut},
    summary=(
        "Upload a worker list (.xlsx, at most 20 MB and 100,000 rows) for a registered contract; it is "
        "checked in the background"
    ),
)
def import_upload(
    request: HttpRequest,
    contract_id: Form[int],
    # Optional here only so that a missing file is refused by the service naming the field `file` (the API's
    # error handler names a missing file parameter "__all__").
    file: Annotated[UploadedFile | None, FileParam(description="The worker list, .xlsx (required)")] = None,
) -> Status[Any]:
    imported = imports.import_upload(actor=current_user(request), contract_id=contract_id, file=file)
    imported.refresh_from_db()  # the check may already have run (no broker: tasks run in-process)
    return Status(201, _out(imported, errors=False))


@router.get("/imports", response=list[ImportOut], summary="Worker lists uploaded in scope, newest first")
@paginate(PageNumber)
def import_list(request: HttpRequest, contract_id: int | None = None, status: str = "") -> Any:
    user = current_user(request)
    require_permission(user, perms.WORKER_REGISTER)
    lists = selectors.imports_in_scope(user)
    if contract_id is not None:
        lists = lists.filter(contract_id=contract_id)
    if status:
        lists = lists.filter(status=status[:12])
    return _Page(lists.defer("errors").order_by("-created_at", "-pk"))


class _Page:
    """A queryset served through `_out` one page at a time (the pagination slices it)."""

    def __init__(self, queryset: Any):
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_out(i, errors=False) for i in self.queryset[item]]


@router.get(
    "/imports/{import_id}", response=ImportDetailOut, summary="A list's status, progress and first errors"
)
def import_detail(request: HttpRequest, import_id: int) -> dict[str, Any]:
    return _out(_import_for(request, import_id))


@router.get("/imports/{import_id}/errors.xlsx", summary="The list's errors as an Excel file (in Vietnamese)")
def import_errors(request: HttpRequest, import_id: int) -> HttpResponse:
    imported = _import_for(request, import_id)
    return _spreadsheet(import_sheets.error_report(imported), f"loi-danh-sach-{imported.pk}.xlsx")


@router.post(
    "/imports/{import_id}/confirm",
    response=ImportDetailOut,
    summary="Save a checked list with no errors (once; every row in one transaction)",
)
def import_confirm(request: HttpRequest, import_id: int) -> dict[str, Any]:
    user = current_user(request)
    require_permission(user, perms.WORKER_REGISTER)
    return _out(imports.import_confirm(actor=user, import_id=import_id))
