from django.http import FileResponse, Http404


def stored_file_response(file, filename: str) -> FileResponse:
    """A stored file as a download. One lost from storage (say, a database restored without its
    media) answers 404 rather than an error page."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("This file is missing from storage.") from exc
    return FileResponse(handle, as_attachment=True, filename=filename)
