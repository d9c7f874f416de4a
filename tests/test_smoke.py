"""A complete, clean review checks clean: the baseline every other test departs from."""


def test_complete_review_checks_clean(cli, write_review):
    path = write_review()
    result = cli("check", path)
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
    assert "107/107" in result.output and "18/18" in result.output and "100%" in result.output
