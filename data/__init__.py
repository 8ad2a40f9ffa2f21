"""The reviewable data files, shipped in the wheel as the package ``readiness.data``.

Read them through :func:`readiness.paths.data_file`, never by a path relative to the code.
"""
