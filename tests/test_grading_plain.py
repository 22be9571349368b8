"""plain.py: what crosses between the grader and the kernel is plain data, rebuilt from bytes."""

import collections
import enum
import json
import warnings

import numpy as np
import pytest

from nnlib.grading import plain
from nnlib.grading.plain import Unplain, WireError, decode, encode, roundtrip


class Zeros(np.ndarray):
    """The issue's forgery: an array whose subtraction says 'no difference'."""

    def __sub__(self, other):
        return np.zeros(self.shape)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.broadcast(*[np.asarray(i) for i in inputs]).shape)


def _matrix():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.matrix([[1.0, 2.0]])


class Level(enum.IntEnum):
    LOW = 1


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2 ** 80, 1.5, -0.0, float("inf"), 1e-310, 3 - 4j, "", "σ(z) ≥ 0",
    np.float64(0.1), np.float32(1.25), np.int64(-3), np.uint8(200), np.bool_(False),
    np.complex64(1 + 2j), np.arange(6.0).reshape(2, 3), np.ones((3, 1), np.float32),
    np.array(2.5), np.zeros((0, 4)), np.array([[True, False]]), np.arange(4, dtype=np.int32),
    [1, 2.0, "three"], (np.eye(2), [None, (1,)]), {"W[1]": np.ones((2, 3)), "b[1]": np.zeros((3, 1))},
    {1: "a", 2: [3.0]},
])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = roundtrip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        assert np.array_equal(back, value) and back.flags.writeable and back.base is None
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert repr(back) == repr(value)


def test_nan_and_every_bit_of_a_float_survive():
    values = np.array([np.nan, -np.inf, 5e-324, 0.1 + 0.2, np.nextafter(1.0, 2.0)])
    assert roundtrip(values).tobytes() == values.tobytes()
    assert roundtrip(float("nan")) != roundtrip(float("nan"))


def test_the_encoding_is_json():
    text = json.dumps(encode({"A": np.ones((2, 2)), "costs": [0.5, 0.25]}))
    assert roundtrip(decode(json.loads(text))) is not None


def test_non_contiguous_and_big_endian_arrays_arrive_native_and_contiguous():
    strided = np.arange(12.0).reshape(3, 4)[:, ::2].T
    back = roundtrip(strided)
    assert np.array_equal(back, strided) and back.flags.c_contiguous
    big = np.arange(3, dtype=">f8")
    assert roundtrip(big).dtype == np.float64 and np.array_equal(roundtrip(big), big)


def test_subclasses_of_builtin_types_arrive_as_the_builtin_value_without_running_their_code():
    class Liar(float):
        def __float__(self):
            return 0.0

        def __repr__(self):
            return "0.0"

    assert roundtrip(Liar(2.5)) == 2.5 and type(roundtrip(Liar(2.5))) is float
    assert type(roundtrip(Level.LOW)) is int
    assert roundtrip(collections.OrderedDict(a=1)) == {"a": 1}
    assert type(roundtrip(collections.OrderedDict(a=1))) is dict
    point = collections.namedtuple("Point", "x y")(1.0, 2.0)
    assert roundtrip(point) == (1.0, 2.0) and type(roundtrip(point)) is tuple

    class Sneaky(list):
        def __iter__(self):
            return iter([0.0])

    assert roundtrip(Sneaky([1.0, 2.0])) == [1.0, 2.0]


@pytest.mark.parametrize("value, phrase", [
    (np.arange(3.0).view(Zeros), "subclass of NumPy's ndarray"),
    (_matrix(), "subclass of NumPy's ndarray"),
    (np.ma.masked_array([1.0, 2.0]), "subclass of NumPy's ndarray"),
    (np.array([1.0, "a"], dtype=object), "dtype object"),
    (np.array(["a", "b"]), "not an array of plain numbers"),
    (np.zeros(2, dtype=[("a", "f8")]), "not an array of plain numbers"),
    (np.array([1], dtype=np.longdouble), "not an array of plain numbers"),
    (lambda z: z, "a function, not a value"),
    (object(), "an object"),
    ({1.5: 2}, "key of type float"),
    ({"a": [1, {2}]}, "a set"),
    (b"bytes", "a bytes"),
])
def test_anything_else_is_refused_saying_what_and_where(value, phrase):
    with pytest.raises(Unplain) as caught:
        encode(value)
    assert phrase in caught.value.what
    if isinstance(value, dict) and "a" in value:
        assert caught.value.where == "['a'][1]"


def test_a_list_that_contains_itself_is_refused():
    loop = []
    loop.append(loop)
    with pytest.raises(Unplain, match="nested more than"):
        encode(loop)


def test_too_much_data_is_refused():
    with pytest.raises(Unplain, match="MB"):
        encode([np.zeros(plain.MAX_BYTES // 8 + 1)])


def test_callbacks_only_where_the_grader_allows_them():
    table = {}
    sent = encode([np.ones(2), print], callbacks=table)
    assert list(table.values()) == [print]
    with pytest.raises(WireError, match="callback"):
        decode(sent)
    assert decode(sent, callback=lambda key: ("stand-in", key))[1] == ("stand-in", "0")


@pytest.mark.parametrize("malformed", [
    "a string", 3, [1, 2], {"int": 3}, {"float": "1.0; import os"}, {"str": None},
    {"unknown": 1}, {"int": "1", "float": "2"},
    {"array": {"dtype": "|O", "shape": [1], "data": ""}},
    {"array": {"dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAA="}},
    {"array": {"dtype": "<f8", "shape": [-1], "data": ""}},
    {"array": {"dtype": "<f8", "shape": [1], "data": "not base64!"}},
    {"scalar": {"dtype": "<f8", "shape": [1], "data": "AAAAAAAA8D8="}},
    {"dict": [[{"float": "1.0"}, None]]},
    {"tuple": "abc"},
])
def test_malformed_data_is_refused_never_interpreted(malformed):
    with pytest.raises(WireError):
        decode(malformed)


def test_deep_nesting_is_refused_when_decoding():
    data = None
    for _ in range(plain.MAX_DEPTH + 5):
        data = {"list": [data]}
    with pytest.raises(WireError):
        decode(data)
