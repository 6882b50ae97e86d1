"""The worker-list export through the API (mounted at /api/v1/overseas): the workers in the caller's scope,
filtered, as an .xlsx file, for a stated purpose that is logged with the export. Thin: the export is
`worker_exports.workers_export`, the same as the pages'."""

from django.http import FileResponse, HttpRequest
from ninja import Router

from ansinh.api.auth import current_user
from ansinh.overseas import worker_exports
from ansinh.overseas.export_schemas import WorkersExportIn

router = Router(tags=["overseas"])


@router.post(
    "/workers/export",
    summary=(
        "Export the workers in scope to Excel (.xlsx), filtered, for a stated purpose (logged with the "
        "filters and the number of rows)"
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The worker list (.xlsx), streamed",
                "content": {worker_exports.XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def workers_export(request: HttpRequest, payload: WorkersExportIn) -> FileResponse:
    data = payload.dict()
    export = worker_exports.workers_export(
        actor=current_user(request),
        purpose=data.pop("purpose"),
        purpose_detail=data.pop("purpose_detail"),
        filters=worker_exports.ExportFilters(**data),
    )
    response = FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=worker_exports.XLSX
    )
    response["Cache-Control"] = "no-store"
    return response
