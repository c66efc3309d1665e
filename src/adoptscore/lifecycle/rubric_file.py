"""Write a calibrated rubric: the input's YAML, comments kept, with new bands, version and provenance."""
from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from adoptscore.errors import AdoptscoreError
from adoptscore.files import write_atomic
from adoptscore.rubric.loader import loads_rubric

if TYPE_CHECKING:
    from adoptscore.lifecycle.calibrate import Calibration


def write_calibrated(calibration: "Calibration", path: Path, *, force: bool = False) -> Path:
    """Write ``calibration.proposed`` to ``path`` and return it.

    The text is checked by loading it back before anything is written, then written through a
    temporary file; the input rubric is never overwritten, an existing file only with ``force``.
    """
    path = Path(path)
    check_target(calibration, path, force=force)
    write_atomic(path, checked_yaml(calibration, path))
    return path


def checked_yaml(calibration: "Calibration", path: Path) -> str:
    """:func:`calibrated_yaml`, loaded back and compared with the proposal before it may be written."""
    text = calibrated_yaml(calibration)
    rubric = loads_rubric(text, str(path))
    if rubric.model_dump() != calibration.proposed.model_dump():  # pragma: no cover - a bug of ours
        raise AssertionError("the written rubric differs from the proposed one")
    return text


def check_target(calibration: "Calibration", path: Path, *, force: bool = False) -> None:
    """Refuse the input rubric itself, and an existing file unless ``force`` (checked before any work is written)."""
    path = Path(path)
    source = calibration.rubric_path
    if source is not None and path.resolve() == Path(source).resolve():
        raise AdoptscoreError("the calibrated rubric would overwrite its input", str(path),
                              hint=f"write it to a new file, e.g. --write {path.stem}-{calibration.proposed.version}.yaml")
    if path.exists() and not force:
        raise AdoptscoreError("the file exists; a calibration never replaces a rubric silently", str(path),
                              hint="choose another path with --write, or pass --force to replace it")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise AdoptscoreError("a rubric file must end in .yaml or .yml", str(path), hint=f"e.g. {path.stem}.yaml")


def calibrated_yaml(calibration: "Calibration") -> str:
    """The calibrated rubric as YAML: the input file edited in place when there is one."""
    yaml = YAML(typ="rt")
    yaml.width = 110
    yaml.indent(mapping=2, sequence=4, offset=2)
    proposed = calibration.proposed
    if calibration.rubric_path is None:
        document: Any = proposed.model_dump(mode="json", by_alias=True, exclude_none=True)
    else:
        document = yaml.load(Path(calibration.rubric_path).read_text(encoding="utf-8"))
        document["version"] = proposed.version
        for band_set in calibration.bands:
            if band_set.changed:
                set_bands(document, band_set, _flow)
        document["provenance"] = proposed.provenance
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    header = (f"# Calibrated by adoptscore from {calibration.rubric.name} {calibration.rubric.version} "
              f"({calibration.strategy}); see provenance.calibration.\n")
    return header + buffer.getvalue()


def _flow(bands: dict[str, str]) -> CommentedMap:
    mapping = CommentedMap(bands)
    mapping.fa.set_flow_style()
    return mapping


def set_bands(document: Any, band_set: Any, wrap: Callable[[dict[str, str]], Any] = dict) -> None:
    """Put ``band_set``'s proposed bands into a rubric document (a plain dict or a ruamel map)."""
    for use_case in document["use_cases"]:
        if use_case["id"] != band_set.use_case:
            continue
        for metric in use_case["metrics"]:
            if metric["id"] != band_set.metric:
                continue
            if band_set.case is None:
                metric["bands"] = wrap(band_set.proposed_bands)
                continue
            table = metric["bands_by"]
            for case in table["cases"]:
                if f"{table['by']} {case['range']}" == band_set.case:
                    case["bands"] = wrap(band_set.proposed_bands)
