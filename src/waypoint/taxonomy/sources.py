"""Files of a published taxonomy release, read from zips or folders exactly as distributed.

Every problem is a SourceError that names the file, the line and the rule, raised before the
database is touched.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

csv.field_size_limit(10 * 1024 * 1024)


class SourceError(ValueError):
    pass


class Release:
    """The union of the files in some zips and folders, looked up by file name."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self._files: dict[str, tuple[Path, str | None]] = {}
        for path in paths:
            if not path.exists():
                raise SourceError(f"{path}: no such file or folder")
            if path.is_dir():
                for file in sorted(path.rglob("*")):
                    if file.is_file():
                        self._files[file.name] = (file, None)
            elif zipfile.is_zipfile(path):
                try:
                    with zipfile.ZipFile(path) as archive:
                        for name in archive.namelist():
                            if not name.endswith("/"):
                                self._files[Path(name).name] = (path, name)
                except zipfile.BadZipFile as exc:
                    raise SourceError(f"{path}: damaged zip archive ({exc})") from None
            elif path.suffix.lower() == ".zip":
                raise SourceError(f"{path}: not a readable zip archive (damaged or cut off)")
            else:
                self._files[path.name] = (path, None)

    def names(self) -> list[str]:
        return sorted(self._files)

    def has(self, name: str) -> bool:
        return name in self._files

    def version_hint(self) -> str:
        for path in self.paths:
            match = re.search(r"v(\d+(?:\.\d+)+)", path.name)
            if match:
                return match.group(1)
        return ""

    def read_text(self, name: str) -> str:
        if name not in self._files:
            raise SourceError(f"{name} is missing from {', '.join(map(str, self.paths))}")
        path, member = self._files[name]
        try:
            if member is None:
                raw = path.read_bytes()
            else:
                with zipfile.ZipFile(path) as archive:
                    raw = archive.read(member)
        except Exception as exc:  # BadZipFile, zlib.error, EOFError: a cut-off archive
            raise SourceError(f"{name}: cannot be read, the archive is damaged ({exc})") from None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise SourceError(f"{name}, line {line}: not UTF-8 text") from None

    def rows(self, name: str, required: list[str], delimiter: str = ",") -> Iterator[dict]:
        """Rows as dicts; refuses a file without the required columns or with a cut-off row."""
        text = self.read_text(name)
        reader = csv.reader(
            io.StringIO(text, newline=""),
            delimiter=delimiter,
            quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL,
        )
        try:
            header = next(reader)
        except StopIteration:
            raise SourceError(f"{name}: empty file") from None
        missing = [column for column in required if column not in header]
        if missing:
            raise SourceError(
                f"{name}: not the expected file: missing columns {', '.join(missing)}"
            )
        width = len(header)
        try:
            for values in reader:
                if not values:
                    continue
                if len(values) != width:
                    raise SourceError(
                        f"{name}, line {reader.line_num}: {len(values)} fields where the header "
                        f"has {width}; the file is cut off or damaged"
                    )
                yield dict(zip(header, values, strict=True))
        except csv.Error as exc:
            raise SourceError(f"{name}, line {reader.line_num}: {exc}") from None
