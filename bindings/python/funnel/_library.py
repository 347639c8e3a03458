"""Finding and loading libfunnel.so, and the ctypes prototype of every function
of include/funnel.h that the binding calls (each with its argtypes and restype:
ctypes' default return type is a C int, which would truncate pointers).

The library is looked for, in order, at:

1. ``libfunnel.so`` inside this package (what a wheel built by ``make wheel``,
   or ``pip install ./bindings/python`` after ``make lib``, carries);
2. the path in the environment variable ``FUNNEL_LIBRARY``;
3. ``.build/lib/libfunnel.so`` of the repository this package sits in
   (``bindings/python/../../.build/lib``), for working in a clone;
4. ``ctypes.util.find_library("funnel")`` (a ``make install``-ed library).

The first that exists is loaded; a path that exists but does not load (or a
``FUNNEL_LIBRARY`` that does not exist) raises ImportError at once, and so does
finding none, naming every place looked at.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any, List, Optional, Tuple

__all__ = ["library_path", "candidate_paths"]

LIBRARY_NAME = "libfunnel.so"
ENV_VAR = "FUNNEL_LIBRARY"

_HERE = os.path.dirname(os.path.abspath(__file__))


def candidate_paths() -> List[Tuple[str, str]]:
    """(path, where it comes from) of every place looked at, in order."""
    found = [(os.path.join(_HERE, LIBRARY_NAME), "inside the package")]
    env = os.environ.get(ENV_VAR)
    if env:
        found.append((env, ENV_VAR))
    repo_build = os.path.normpath(os.path.join(_HERE, "..", "..", "..", ".build", "lib", LIBRARY_NAME))
    found.append((repo_build, "the repository's .build/lib"))
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    looked = []
    for path, origin in candidate_paths():
        if not os.path.exists(path):
            if origin == ENV_VAR:
                raise ImportError("funnel: %s names %s, which does not exist" % (ENV_VAR, path))
            looked.append("%s (%s)" % (path, origin))
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as exc:
            raise ImportError("funnel: cannot load %s (%s): %s" % (path, origin, exc)) from exc
    found = ctypes.util.find_library("funnel")
    if found:
        try:
            return ctypes.CDLL(found), found
        except OSError as exc:
            raise ImportError("funnel: cannot load %s (the system's library path): %s" % (found, exc)) from exc
    looked.append("the system's library path (ctypes.util.find_library)")
    raise ImportError(
        "funnel: libfunnel.so not found. Install the wheel built by `make wheel` (it carries the "
        "library), or build it with `make lib` in the repository, or set %s to its path. "
        "Looked at: %s" % (ENV_VAR, "; ".join(looked)))


lib, library_path = _load()

c_status = ctypes.c_int
c_size = ctypes.c_size_t
p_void = ctypes.c_void_p
p_char = ctypes.c_char_p
pp_out = ctypes.POINTER(ctypes.c_void_p)
p_double = ctypes.POINTER(ctypes.c_double)
p_int8 = ctypes.POINTER(ctypes.c_int8)
p_uint8 = ctypes.POINTER(ctypes.c_uint8)
p_int32 = ctypes.POINTER(ctypes.c_int32)
p_uint32 = ctypes.POINTER(ctypes.c_uint32)
p_int64 = ctypes.POINTER(ctypes.c_int64)
p_strings = ctypes.POINTER(ctypes.c_char_p)


def declare(name: str, restype: Optional[Any], argtypes: List[Any]) -> Any:
    """The library's function `name` with its prototype set."""
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


class JsonlOptions(ctypes.Structure):
    """funnel_jsonl_options, version 1."""
    _fields_ = [("version", ctypes.c_uint), ("threads", ctypes.c_uint)]


JSONL_OPTIONS_VERSION = 1

# Library
version = declare("funnel_version", p_char, [])
status_str = declare("funnel_status_str", p_char, [ctypes.c_int])
last_error = declare("funnel_last_error", p_char, [])
string_free = declare("funnel_string_free", None, [p_void])
# Models
model_load = declare("funnel_model_load", c_status, [p_char, c_size, pp_out])
model_load_default = declare("funnel_model_load_default", c_status, [pp_out])
model_free = declare("funnel_model_free", None, [p_void])
model_name = declare("funnel_model_name", p_char, [p_void])
model_attribute_count = declare("funnel_model_attribute_count", c_size, [p_void])
model_attribute_name = declare("funnel_model_attribute_name", p_char, [p_void, c_size])
model_attribute_type = declare("funnel_model_attribute_type", ctypes.c_int, [p_void, c_size])
model_criterion_count = declare("funnel_model_criterion_count", c_size, [p_void])
model_criterion_name = declare("funnel_model_criterion_name", p_char, [p_void, c_size])
model_stage_count = declare("funnel_model_stage_count", c_size, [p_void])
model_stage_id = declare("funnel_model_stage_id", p_char, [p_void, c_size])
model_grade_count = declare("funnel_model_grade_count", c_size, [p_void])
model_grade_name = declare("funnel_model_grade_name", p_char, [p_void, c_size])
model_engagement_count = declare("funnel_model_engagement_count", c_size, [p_void])
model_engagement_name = declare("funnel_model_engagement_name", p_char, [p_void, c_size])
# One lead
score_json = declare("funnel_score_json", c_status, [p_void, p_char, c_size, ctypes.c_double, pp_out])
advance_json = declare("funnel_advance_json", c_status, [p_void, p_char, c_size, ctypes.c_double, pp_out])
move_json = declare("funnel_move_json", c_status,
                    [p_void, p_char, c_size, p_char, p_char, p_char, ctypes.c_double, pp_out])
# JSON Lines
score_jsonl = declare("funnel_score_jsonl", c_status, [p_void, p_char, c_size, ctypes.c_double, pp_out])
advance_jsonl = declare("funnel_advance_jsonl", c_status, [p_void, p_char, c_size, ctypes.c_double, pp_out])
score_jsonl_opts = declare("funnel_score_jsonl_opts", c_status,
                           [p_void, p_char, c_size, ctypes.c_double, ctypes.POINTER(JsonlOptions), pp_out])
advance_jsonl_opts = declare("funnel_advance_jsonl_opts", c_status,
                             [p_void, p_char, c_size, ctypes.c_double, ctypes.POINTER(JsonlOptions), pp_out])
# Conversion (SPEC §11)
accounts_new = declare("funnel_accounts_new", c_status, [p_void, pp_out])
accounts_free = declare("funnel_accounts_free", None, [p_void])
accounts_count = declare("funnel_accounts_count", c_size, [p_void])
accounts_add_jsonl = declare("funnel_accounts_add_jsonl", c_status, [p_void, p_char, c_size])
accounts_add_company = declare("funnel_accounts_add_company", c_status, [p_void, p_char, p_char, p_strings, c_size])
accounts_add_group = declare("funnel_accounts_add_group", c_status, [p_void, p_char, p_char, p_char])
convert_json = declare("funnel_convert_json", c_status,
                       [p_void, p_void, p_char, c_size, ctypes.c_double, pp_out])
convert_jsonl = declare("funnel_convert_jsonl", c_status,
                        [p_void, p_void, p_char, c_size, ctypes.c_double, pp_out])
dedupe_jsonl = declare("funnel_dedupe_jsonl", c_status, [p_void, p_char, c_size, pp_out])
# Win probability (SPEC §14)
winmodel_train_jsonl = declare("funnel_winmodel_train_jsonl", c_status, [p_void, p_char, c_size, pp_out])
winmodel_load = declare("funnel_winmodel_load", c_status, [p_void, p_char, c_size, pp_out])
winmodel_free = declare("funnel_winmodel_free", None, [p_void])
score_json_win = declare("funnel_score_json_win", c_status,
                         [p_void, p_void, p_char, c_size, ctypes.c_double, pp_out])
score_jsonl_win = declare("funnel_score_jsonl_win", c_status,
                          [p_void, p_void, p_char, c_size, ctypes.c_double, pp_out])
# Columns
batch_new = declare("funnel_batch_new", c_status, [p_void, c_size, pp_out])
batch_free = declare("funnel_batch_free", None, [p_void])
batch_lead_count = declare("funnel_batch_lead_count", c_size, [p_void])
batch_set_numbers = declare("funnel_batch_set_numbers", c_status, [p_void, p_char, p_double, c_size])
batch_set_bools = declare("funnel_batch_set_bools", c_status, [p_void, p_char, p_int8, c_size])
batch_set_strings = declare("funnel_batch_set_strings", c_status,
                            [p_void, p_char, p_strings, c_size, p_int32, c_size])
batch_set_string_sets = declare("funnel_batch_set_string_sets", c_status,
                                [p_void, p_char, p_strings, c_size, p_int64, p_int32, c_size, p_uint8, c_size])
batch_set_events = declare("funnel_batch_set_events", c_status,
                           [p_void, p_strings, c_size, p_uint32, p_int32, p_double, c_size, p_char, p_double])
batch_set_strings_text = declare("funnel_batch_set_strings_text", c_status,
                                 [p_void, p_char, p_char, c_size, p_uint8, c_size])
batch_set_events_text = declare("funnel_batch_set_events_text", c_status,
                                [p_void, p_char, c_size, p_uint32, p_double, c_size, p_char, p_double])
batch_score = declare("funnel_batch_score", c_status,
                      [p_void, ctypes.c_double, p_double, p_double, p_double, p_int32, c_size])
batch_score_threads = declare("funnel_batch_score_threads", c_status,
                              [p_void, ctypes.c_double, p_double, p_double, p_double, p_int32, c_size,
                               ctypes.c_uint])
batch_score_levels = declare("funnel_batch_score_levels", c_status,
                             [p_void, ctypes.c_double, p_double, p_double, p_double, p_int32, p_int32, c_size,
                              ctypes.c_uint])
batch_score_events = declare("funnel_batch_score_events", c_status,
                             [p_void, p_strings, c_size, p_uint32, p_int32, p_double, c_size, p_char, p_double,
                              ctypes.c_double, p_double, p_double, p_double, p_int32, p_int32, c_size,
                              ctypes.c_uint])
batch_new_jsonl = declare("funnel_batch_new_jsonl", c_status,
                          [p_void, p_char, c_size, ctypes.POINTER(JsonlOptions), pp_out])
doubles_from_pickle = declare("funnel_doubles_from_pickle", c_status,
                              [p_char, c_size, p_double, c_size, ctypes.POINTER(ctypes.c_uint)])
# Absent from a library older than the binding: the binding then numbers strings itself.
pointer_codes = declare("funnel_pointer_codes", c_status,
                        [p_void, c_size, p_int32, ctypes.c_size_t, ctypes.POINTER(c_size), c_size,
                         ctypes.POINTER(c_size)]) if hasattr(lib, "funnel_pointer_codes") else None


class ObjectLayout(ctypes.Structure):
    """funnel_object_layout, version 1."""
    _fields_ = [("version", ctypes.c_uint), ("int_form", ctypes.c_uint), ("none", ctypes.c_size_t),
                ("float_type", ctypes.c_size_t), ("int_type", ctypes.c_size_t), ("type_offset", c_size),
                ("float_offset", c_size), ("int_size_offset", c_size), ("int_digits_offset", c_size)]


OBJECT_LAYOUT_VERSION = 1
doubles_from_objects = declare("funnel_doubles_from_objects", c_status,
                               [p_void, c_size, ctypes.POINTER(ObjectLayout), p_double,
                                ctypes.POINTER(ctypes.c_uint)]) \
    if hasattr(lib, "funnel_doubles_from_objects") else None
uint32_from_objects = declare("funnel_uint32_from_objects", c_status,
                              [p_void, c_size, ctypes.POINTER(ObjectLayout), p_uint32]) \
    if hasattr(lib, "funnel_uint32_from_objects") else None

class DocumentLayout(ctypes.Structure):
    """funnel_document_layout, version 1."""
    _fields_ = [("version", ctypes.c_uint), ("int_form", ctypes.c_uint), ("dict_form", ctypes.c_uint),
                ("str_form", ctypes.c_uint)] + \
        [(name, ctypes.c_size_t) for name in (
            "none", "true_object", "false_object", "float_type", "int_type", "str_type", "list_type", "dict_type",
            "type_offset", "float_offset", "int_size_offset", "int_digits_offset", "list_size_offset",
            "list_items_offset", "dict_used_offset", "dict_keys_offset", "dict_values_offset", "str_length_offset",
            "str_state_offset", "str_ascii_data_offset", "str_data_offset")]


DOCUMENT_LAYOUT_VERSION = 1
# The same library through ctypes.PyDLL: its calls hold the GIL, for functions that
# read Python objects in place, which no other thread may change meanwhile.
gil_lib = ctypes.PyDLL(library_path)


def declare_gil_held(name: str, restype: Optional[Any], argtypes: List[Any]) -> Any:
    """The library's function `name`, called with the GIL held; None when the library lacks it."""
    fn = getattr(gil_lib, name, None)
    if fn is not None:
        fn.restype = restype
        fn.argtypes = argtypes
    return fn


class ListLayout(ctypes.Structure):
    """funnel_list_layout, version 1."""
    _fields_ = [("version", ctypes.c_uint), ("list_type", ctypes.c_size_t), ("type_offset", c_size),
                ("size_offset", c_size), ("items_offset", c_size)]


LIST_LAYOUT_VERSION = 1
# A list read in place (no tuple copy): its items may not change during the call.
doubles_from_list = declare_gil_held("funnel_doubles_from_list", c_status,
                                     [ctypes.py_object, c_size, ctypes.POINTER(ListLayout),
                                      ctypes.POINTER(ObjectLayout), p_double, ctypes.POINTER(ctypes.c_uint)])
uint32_from_list = declare_gil_held("funnel_uint32_from_list", c_status,
                                    [ctypes.py_object, c_size, ctypes.POINTER(ListLayout),
                                     ctypes.POINTER(ObjectLayout), p_uint32])
pointer_codes_list = declare_gil_held("funnel_pointer_codes_list", c_status,
                                      [ctypes.py_object, c_size, ctypes.POINTER(ListLayout), p_int32,
                                       ctypes.c_size_t, ctypes.POINTER(c_size), c_size, ctypes.POINTER(c_size)])
jsonl_from_objects = getattr(gil_lib, "funnel_jsonl_from_objects", None)
if jsonl_from_objects is not None:
    jsonl_from_objects.restype = c_status
    jsonl_from_objects.argtypes = [p_void, c_size, ctypes.POINTER(DocumentLayout), pp_out, ctypes.POINTER(c_size)]
# The JSON Lines text as an address: the text funnel_jsonl_from_objects wrote, unread by Python.
score_jsonl_pickle = declare("funnel_score_jsonl_pickle", c_status,
                             [p_void, p_void, c_size, ctypes.c_double, ctypes.POINTER(JsonlOptions), pp_out,
                              ctypes.POINTER(c_size)]) if hasattr(lib, "funnel_score_jsonl_pickle") else None
# Each result an instance of a named dict subclass; absent from a library older than the binding.
score_jsonl_pickle_class = declare("funnel_score_jsonl_pickle_class", c_status,
                                   [p_void, p_void, c_size, ctypes.c_double, ctypes.POINTER(JsonlOptions), p_char,
                                    p_char, pp_out, ctypes.POINTER(c_size)]) \
    if hasattr(lib, "funnel_score_jsonl_pickle_class") else None
# FUNNEL_PICKLED_*: the kinds of item funnel_doubles_from_pickle found.
PICKLED_FLOAT, PICKLED_INT, PICKLED_BOOL, PICKLED_NONE, PICKLED_NONFINITE = 1, 2, 4, 8, 16
# Reports (SPEC §12)
report_json = declare("funnel_report_json", c_status,
                      [p_void, p_char, c_size, ctypes.c_double, ctypes.c_double, pp_out])
report_builder_new = declare("funnel_report_builder_new", c_status, [p_void, pp_out])
report_builder_add = declare("funnel_report_builder_add", c_status, [p_void, p_char, c_size])
report_builder_finish = declare("funnel_report_builder_finish", c_status,
                                [p_void, ctypes.c_double, ctypes.c_double, pp_out])
report_builder_free = declare("funnel_report_builder_free", None, [p_void])
# Routing (SPEC §10)
router_new = declare("funnel_router_new", c_status, [p_void, p_char, c_size, p_char, c_size, pp_out])
router_free = declare("funnel_router_free", None, [p_void])
router_route_json = declare("funnel_router_route_json", c_status,
                            [p_void, p_char, c_size, ctypes.c_double, ctypes.c_int, pp_out])
router_route_jsonl = declare("funnel_router_route_jsonl", c_status,
                             [p_void, p_char, c_size, ctypes.c_double, ctypes.c_int, pp_out])
router_set_available = declare("funnel_router_set_available", c_status, [p_void, p_char, ctypes.c_int])
router_state_json = declare("funnel_router_state_json", c_status, [p_void, pp_out])
# Arrow (the C Data Interface; funnel.arrow builds on these)


class ArrowOptions(ctypes.Structure):
    """funnel_arrow_options, version 1."""
    _fields_ = [("version", ctypes.c_uint), ("threads", ctypes.c_uint), ("flags", ctypes.c_uint)]


ARROW_OPTIONS_VERSION = 1
ARROW_IGNORE_UNKNOWN = 1
score_arrow = declare("funnel_score_arrow", c_status,
                      [p_void, p_void, p_void, p_void, p_void, ctypes.c_double, ctypes.POINTER(ArrowOptions), pp_out])
score_arrow_stream = declare("funnel_score_arrow_stream", c_status,
                             [p_void, p_void, p_void, ctypes.c_double, ctypes.POINTER(ArrowOptions), pp_out])
arrow_result_count = declare("funnel_arrow_result_count", c_size, [p_void])
arrow_result_export = declare("funnel_arrow_result_export", c_status, [p_void, p_void, p_void])
arrow_result_export_stream = declare("funnel_arrow_result_export_stream", c_status, [p_void, p_void])
arrow_result_free = declare("funnel_arrow_result_free", None, [p_void])
