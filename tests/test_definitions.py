"""The code location loads and every job resolves."""

from assets.definitions import defs


def test_every_job_resolves():
    for job in defs.resolve_all_job_defs():
        assert job.name


def test_graph_has_groups_descriptions_and_contract_checks():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"articles", "rejected", "sources", "claims", "figures", "locations", "release"} <= keys
    assert {"duplicates", "stories", "claim_groups", "figure_conflicts"} <= keys
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name != "default", key
        assert node.description, key
    checks = {check.to_user_string() for check in graph.asset_check_keys}
    for table in ("articles", "rejected", "sources", "claims", "figures", "locations"):
        assert f"{table}:{table}_contract" in checks
    for table in ("stories", "claim_groups", "figure_conflicts"):
        assert f"{table}:{table}_contract" in checks
    assert "duplicates:articles_contract" in checks


def test_the_bench_dagster_floor_has_the_build_jobs_shape():
    """``newsledger bench`` times Dagster alone on a copy of ``build`` whose steps do nothing."""
    from assets.bench import shape_job

    build, shape = defs.resolve_job_def("build"), shape_job()
    assert set(shape.graph.node_dict) == set(build.graph.node_dict)  # the same steps
    build_graph = defs.resolve_asset_graph()
    shape_graph = shape.asset_layer.asset_graph
    assert shape_graph.get_all_asset_keys() == build_graph.get_all_asset_keys()
    assert shape_graph.asset_check_keys == build_graph.asset_check_keys
    for key in build_graph.get_all_asset_keys():
        assert shape_graph.get(key).parent_keys == build_graph.get(key).parent_keys


def test_loading_the_code_location_leaves_the_heavy_libraries_to_the_steps():
    """The UI's code server and every run load the definitions; the steps import the rest."""
    import subprocess
    import sys

    heavy = ("spacy", "sklearn", "scipy", "datasketch", "great_expectations")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, assets.definitions; "
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert loaded == []
