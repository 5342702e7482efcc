"""Only the optional C part of protokol is described here; everything else is in pyproject.toml.

protokol._fastyaml is the strict YAML reader's fast path (src/protokol/_fastyaml.c, over libyaml). It is optional:
without a C compiler or libyaml's headers (Debian: libyaml-dev) the build goes on without it, and protokol reads
files with its Python builder: the same results, reading four to six times slower and a cold `due` about twice as
slow (docs/performance.md). Its layout check and `PROTOKOL_NO_FASTYAML=1` are described in yamlio.start_fast_path().
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("protokol._fastyaml", sources=["src/protokol/_fastyaml.c"], libraries=["yaml"],
                             optional=True)])
