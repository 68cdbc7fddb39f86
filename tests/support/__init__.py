"""What the test files share, one module per kind of thing:

- `folders`: programme folders to test on (the example, a minimal valid programme laid out by
  `build_tree`) and `snapshot`, a folder's files as bytes;
- `environment`: the environment every test runs in (the autouse fixture of `tests/conftest.py`);
- `cli`: running `twincli` in the test's process (`invoke`, `run`) or as a real process;
- `console`: a rich console made as the commands make theirs;
- `golden`: expected output kept in files, and the one way to rewrite it (`UPDATE_GOLDEN=1`);
- `editing`: a hand-written city file and the line diff the editing tests compare;
- `bad_input`: the corpus of broken programme folders;
- `oldest`: the oldest dependency versions pyproject.toml allows (`make test-oldest`).

The programmes of thousands of cities come from the benchmarks' generator,
`benchmarks.generate`.
"""
