"""Writes Seeds/FuzzNPYArray/: small .npy files as NumPy itself writes them (the library reads
.npy but does not write it). From Fuzz/, with numpy 2.2.6 (the tests' pin):

    ../.build/venv-numpy/bin/python Seeds/make-npy-seeds.py Seeds/FuzzNPYArray
"""
import sys

import numpy as np

directory = sys.argv[1] if len(sys.argv) > 1 else "Seeds/FuzzNPYArray"


def save(name, array, version=None):
    with open(f"{directory}/{name}", "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)


save("f4-3x2.npy", np.array([[1.5, -2], [np.nan, np.inf], [0, 3e38]], dtype="<f4"))
save("f8-4.npy", np.array([0.25, -1e300, 7, 1e-310], dtype="<f8"))
save("i1-2x3.npy", np.array([[-128, 0, 127], [1, 2, 3]], dtype="i1"))
save("i8-2x2-v2.npy", np.array([[-(2**63), 2**63 - 1], [0, 5]], dtype="<i8"), version=(2, 0))
save("u2-3.npy", np.array([0, 1, 65535], dtype="<u2"))
save("u8-2.npy", np.array([0, 2**64 - 1], dtype="<u8"))
save("b1-2x2.npy", np.array([[True, False], [False, True]]))
save("i4-labels-6.npy", np.array([0, 1, 2, 0, 1, 2], dtype="<i4"))
save("u1-1x1-v3.npy", np.array([[9]], dtype="u1"), version=(3, 0))
