"""Small PDFs built in the tests, byte by byte, so a test says exactly what is in the file.

`build(objects)` writes a classic PDF (a cross-reference table, every object readable in the bytes);
`build(objects, object_stream=True)` packs every object that is not a stream into a compressed object
stream with a cross-reference stream (PDF 1.5), as office suites and most generators do, so nothing of
them is visible in the raw bytes. Objects are given as their PDF source without "n 0 obj ... endobj";
object 1 is the catalog.
"""

import io
import zlib

# A one-page document with nothing else: the base most crafted files extend.
PAGE = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    4: b"<< /Length 0 >>\nstream\n\nendstream",
}


def build(objects: dict[int, bytes], *, object_stream: bool = False, header: bytes = b"%PDF-1.7") -> bytes:
    return (_with_object_stream if object_stream else _classic)(objects, header)


def _body(header, objects):
    """The header (with the binary comment that marks the file as binary) and the objects in number order;
    returns the file so far and where each object starts, for the cross-reference."""
    out = io.BytesIO()
    out.write(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    return out, offsets


def _classic(objects, header):
    out, offsets = _body(header, objects)
    size = max(objects) + 1
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _with_object_stream(objects, header):
    packed = {n: body for n, body in objects.items() if b"stream" not in body}
    loose = {n: body for n, body in objects.items() if n not in packed}
    stream_number = max(objects) + 1
    xref_number = stream_number + 1
    index, bodies, position = [], [], 0
    for number, body in sorted(packed.items()):
        index.append(b"%d %d" % (number, position))
        bodies.append(body)
        position += len(body) + 1
    head = b" ".join(index) + b"\n"
    data = zlib.compress(head + b"\n".join(bodies) + b"\n")
    loose[stream_number] = (b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                            % (len(packed), len(head), len(data)) + data + b"\nendstream")
    out, offsets = _body(header, loose)
    offsets[xref_number] = out.tell()
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    slots = {n: i for i, n in enumerate(sorted(packed))}
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(bytes([1]) + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big"))
        elif number in slots:
            rows.append(bytes([2]) + stream_number.to_bytes(4, "big") + slots[number].to_bytes(2, "big"))
        else:
            rows.append(bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big"))
    table = zlib.compress(b"".join(rows))
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\n"
              b"stream\n" % (xref_number, xref_number + 1, len(table)) + table + b"\nendstream\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()


def page_with(*, catalog: bytes = b"", page: bytes = b"", extra: dict[int, bytes] | None = None) -> dict[int, bytes]:
    """PAGE with entries added to the catalog and the page dictionary, and extra objects (numbers from 5)."""
    objects = dict(PAGE)
    objects[1] = objects[1][:-2] + catalog + b" >>"
    objects[3] = objects[3][:-2] + page + b" >>"
    objects.update(extra or {})
    return objects


# A clean one-page PDF, for tests that need an upload that is accepted.
CLEAN = build(PAGE)
