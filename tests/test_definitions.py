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
