import mimetypes

from django.http import Http404

from lde_portal.accounts.access import org_permission_required
from lde_portal.uploads import serve_private_file

from .kinds import get_kind
from .models import FileStatus
from .selectors import generated_file_for


# Every member may ask; the file's kind decides (selectors.generated_file_for).
@org_permission_required("org.view")
def download(request, pk):
    """The one download of a generated file, of every kind."""
    generated = generated_file_for(request.membership, pk)
    if generated.status != FileStatus.DONE or not generated.file:
        raise Http404
    kind = get_kind(generated.kind)
    if kind.on_download is not None:
        kind.on_download(request, generated)
    return serve_private_file(
        request, generated.file, filename=generated.filename, worker_id=generated.worker_id, obj=generated,
        object_type="generated_file", object_id=str(generated.pk), audit_kind=kind.audit_action, summary=kind.summary(generated) if kind.summary else generated.filename,
        content_type=_content_type(generated.filename))


def _content_type(filename):
    # The portal wrote these files itself: their name says what they are (a CSV has no signature).
    return mimetypes.guess_type(filename)[0]
