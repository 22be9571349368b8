"""Plain data: the only thing that crosses between the grader and the learner's kernel.

The grader sends the learner's functions their inputs, and receives their outputs, as *plain
data*: None, bools, ints, floats, complex numbers, strings, NumPy numbers and NumPy arrays of a
plain numeric dtype (bool, int, uint, float16/32/64, complex64/128), and lists, tuples and dicts
(str or int keys) of these. Nothing else: no ndarray subclass (its ``-`` could return zeros), no
object arrays, no class of the learner's. A subclass of a built-in type (an OrderedDict, a
namedtuple, an IntEnum) is sent as the built-in value, read without running its methods. The grader rebuilds every value from bytes, so what
it compares is a plain ``np.ndarray`` of its own, whatever the kernel sent.

    text = encode(value)            # JSON-able; raises Unplain("a MyArray (...)", "[1]")
    value = decode(text)            # never runs code; raises WireError on anything malformed
    roundtrip(value)                # decode(encode(value)): what the grader would receive

The grader may also send *callbacks* (a function of the check the learner's code must call, as
in question 4.5): ``encode(args, callbacks=table)`` puts ``{"callback": k}`` in their place and
``decode(..., callback=make_stub)`` turns it back into a callable on the other side.

This module imports only the standard library and NumPy: the grader ships its source text to
the kernel (see agent.py), so it must not need nnlib there.
"""

from __future__ import annotations

import base64
import math

import numpy as np

__all__ = ["encode", "decode", "roundtrip", "Unplain", "WireError", "describe", "PLAIN_DTYPES",
           "MAX_DEPTH", "MAX_BYTES"]

#: NumPy dtypes an array may have (little-endian, or one byte), by their ``dtype.str``.
PLAIN_DTYPES = frozenset({"|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8",
                          "<f2", "<f4", "<f8", "<c8", "<c16"})
_NUMPY_SCALARS = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                  np.uint32, np.uint64, np.float16, np.float32, np.float64, np.complex64,
                  np.complex128)
#: Deepest nesting of lists, tuples and dicts (a list that contains itself is refused).
MAX_DEPTH = 24
#: Largest total size of the arrays and strings in one value, in bytes.
MAX_BYTES = 64 * 2 ** 20
_MAX_INT_DIGITS = 4000


class Unplain(TypeError):
    """A value that is not plain data. ``what``: "a MyArray (a subclass of NumPy's ndarray)";
    ``where``: its position inside the value ("" for the value itself, "[1]['W[1]']")."""

    def __init__(self, what, where=""):
        if len(where) > 48:
            where = where[:44] + " ..."
        super().__init__(f"{what}{' at ' + where if where else ''}")
        self.what = what
        self.where = where


class WireError(ValueError):
    """Malformed data received (not something a correct sender produces)."""


def _article(name):
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def describe(value):
    """A learner-readable description of a value that is not plain data."""
    kind = type(value)
    name = kind.__qualname__
    if isinstance(value, np.ndarray) and kind is not np.ndarray:
        return (f"{_article(name)} (a subclass of NumPy's ndarray; np.asarray(...) gives a plain "
                "array)")
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return "a NumPy array of dtype object (it holds Python objects, not numbers)"
        return f"a NumPy array of dtype {value.dtype} (not an array of plain numbers)"
    if isinstance(value, np.generic):
        return f"a NumPy {value.dtype} value"
    for base in (bool, int, float, complex, str, list, tuple, dict):
        if isinstance(value, base):
            return f"{_article(name)} (a subclass of {base.__name__})"
    module = getattr(kind, "__module__", "") or ""
    if callable(value) and not isinstance(value, type):
        return "a function, not a value (is a call's () missing?)"
    if module in ("builtins", ""):
        return _article(name)
    return f"{_article(name)} (from {module.split('.')[0]})"


class _Budget:
    def __init__(self):
        self.left = MAX_BYTES

    def take(self, n, where):
        self.left -= n
        if self.left < 0:
            raise Unplain(f"more than {MAX_BYTES // 2 ** 20} MB of data", where)


def _encode_float(x):
    return x.hex() if math.isfinite(x) else repr(x)


def encode(value, *, callbacks=None):
    """The JSON-able form of a plain value; ``Unplain`` for anything else.

    ``callbacks``: a dict, to allow functions in the value (the grader's arguments): each becomes
    ``{"callback": k}`` and is stored as ``callbacks[k]``.
    """
    return _encode(value, "", 0, _Budget(), callbacks)


def _encode(value, where, depth, budget, callbacks):
    if depth > MAX_DEPTH:
        raise Unplain(f"nested more than {MAX_DEPTH} levels deep (a list that contains itself?)",
                      where)
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind in _NUMPY_SCALARS:              # before float: np.float64 is a float too
        return {"scalar": _encode_array(np.asarray(value), where, budget)}
    if kind is np.ndarray:
        return {"array": _encode_array(value, where, budget)}
    if isinstance(value, np.ndarray):       # np.matrix, masked arrays, a learner's subclass
        raise Unplain(describe(value), where)
    # A subclass of a built-in type (an IntEnum, an OrderedDict, a namedtuple) is read through
    # the built-in type's own methods: its overrides never run, what is sent is the plain value.
    if isinstance(value, int) and not isinstance(value, np.generic):
        number = int.__int__(value)
        if number.bit_length() > _MAX_INT_DIGITS * 3:
            raise Unplain("an int with thousands of digits", where)
        return {"int": str(number)}
    if isinstance(value, float) and not isinstance(value, np.generic):
        return {"float": _encode_float(float.__float__(value))}
    if isinstance(value, complex) and not isinstance(value, np.generic):
        return {"complex": [_encode_float(complex.__complex__(value).real),
                            _encode_float(complex.__complex__(value).imag)]}
    if isinstance(value, str):
        text = str.__str__(value)
        budget.take(len(text), where)
        return {"str": text}
    if isinstance(value, (list, tuple)):
        items = list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)
        tag = "list" if isinstance(value, list) else "tuple"
        return {tag: [_encode(item, f"{where}[{i}]", depth + 1, budget, callbacks)
                      for i, item in enumerate(items)]}
    if isinstance(value, dict):
        pairs = []
        for key, item in dict.items(value):
            if type(key) is not str and type(key) is not int:
                raise Unplain(f"a dict with a key of type {type(key).__name__} (keys should be "
                              "strings)", where)
            pairs.append([_encode(key, where, depth + 1, budget, None),
                          _encode(item, f"{where}[{key!r}]", depth + 1, budget, callbacks)])
        return {"dict": pairs}
    if callbacks is not None and callable(value):
        key = str(len(callbacks))
        callbacks[key] = value
        return {"callback": key}
    raise Unplain(describe(value), where)


def _encode_array(array, where, budget):
    dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
    if dtype.str not in PLAIN_DTYPES:
        raise Unplain(describe(array), where)
    budget.take(array.nbytes, where)
    data = np.ascontiguousarray(array, dtype=dtype).tobytes()
    return {"dtype": dtype.str, "shape": list(array.shape),
            "data": base64.b64encode(data).decode("ascii")}


# -- decoding: strict, and never runs code ---------------------------------------------------------

def decode(data, *, callback=None):
    """The value ``encode`` made ``data`` from. ``callback(key)`` makes the stand-in of a
    callback (refused when None). Raises WireError for anything malformed."""
    return _decode(data, 0, _Budget(), callback)


def _decode(data, depth, budget, callback):
    if depth > MAX_DEPTH + 1:
        raise WireError("nested too deeply")
    if data is None or data is True or data is False:
        return data
    if type(data) is not dict or len(data) != 1:
        raise WireError(f"not an encoded value: {type(data).__name__}")
    (tag, body), = data.items()
    try:
        if tag == "int":
            if type(body) is not str or len(body) > _MAX_INT_DIGITS + 1:
                raise WireError("bad int")
            return int(body)
        if tag == "float":
            return _decode_float(body)
        if tag == "complex":
            if type(body) is not list or len(body) != 2:
                raise WireError("bad complex")
            return complex(_decode_float(body[0]), _decode_float(body[1]))
        if tag == "str":
            if type(body) is not str:
                raise WireError("bad str")
            budget.take(len(body), "")
            return body
        if tag == "array":
            return _decode_array(body, budget)
        if tag == "scalar":
            array = _decode_array(body, budget)
            if array.shape != ():
                raise WireError("a NumPy scalar has shape ()")
            return array[()]
        if tag in ("list", "tuple"):
            if type(body) is not list:
                raise WireError(f"bad {tag}")
            items = [_decode(item, depth + 1, budget, callback) for item in body]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            if type(body) is not list:
                raise WireError("bad dict")
            out = {}
            for pair in body:
                if type(pair) is not list or len(pair) != 2:
                    raise WireError("bad dict entry")
                key = _decode(pair[0], depth + 1, budget, None)
                if type(key) is not str and type(key) is not int:
                    raise WireError("bad dict key")
                out[key] = _decode(pair[1], depth + 1, budget, callback)
            return out
        if tag == "callback":
            if callback is None or type(body) is not str:
                raise WireError("a callback where none is allowed")
            return callback(body)
    except Unplain as error:
        raise WireError(str(error)) from None
    raise WireError(f"unknown tag {tag!r}")


def _decode_float(text):
    if type(text) is not str or len(text) > 40:
        raise WireError("bad float")
    try:
        return float.fromhex(text) if "x" in text else float(text)
    except ValueError:
        raise WireError("bad float") from None


def _decode_array(body, budget):
    if type(body) is not dict or set(body) != {"dtype", "shape", "data"}:
        raise WireError("bad array")
    dtype, shape, data = body["dtype"], body["shape"], body["data"]
    if type(dtype) is not str or dtype not in PLAIN_DTYPES:
        raise WireError(f"an array of dtype {dtype!r}")
    if (type(shape) is not list or len(shape) > 32
            or not all(type(n) is int and 0 <= n for n in shape)):
        raise WireError("bad shape")
    if type(data) is not str:
        raise WireError("bad array data")
    dtype = np.dtype(dtype)
    size = math.prod(shape)
    budget.take(size * dtype.itemsize, "")
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except ValueError:
        raise WireError("bad array data") from None
    if len(raw) != size * dtype.itemsize:
        raise WireError("the array's data does not fit its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def roundtrip(value):
    """What the grader receives for ``value``: a fresh plain copy, or Unplain."""
    return decode(encode(value))
