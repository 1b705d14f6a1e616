"""The backend model alone: no boto3, no wire format, just Python values and exceptions."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from freezegun import freeze_time

from smmock import _model
from smmock._service.paging import Pager
from smmock.backend import RegionBackend, SecretsBackend, parse_arn, secret_arn
from smmock.exceptions import (
    InvalidNextTokenException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceExistsException,
    ResourceNotFoundException,
    ValidationException,
)

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)
ACCOUNT = "123456789012"
REGION = "us-east-1"
PREFIX = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:"
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)
NOT_FOUND = "Secrets Manager can't find the specified secret."


def token(n: int) -> str:
    """A valid ClientRequestToken (32-64 chars) that is easy to read in failures."""
    return f"token-{n:026d}"


@pytest.fixture
def rb() -> RegionBackend:
    return RegionBackend(ACCOUNT, REGION)


def state(rb: RegionBackend) -> list[tuple[Any, ...]]:
    """Everything observable about a region's secrets, for before/after comparisons."""
    return [
        (
            s.name,
            s.arn,
            s.created_date,
            s.last_changed_date,
            s.last_accessed_date,
            s.deleted_date,
            s.deletion_date,
            s.description,
            s.kms_key_id,
            dict(s.tags) if s.tags is not None else None,
            [
                (v.version_id, v.secret_string, v.secret_binary, list(v.stages), v.created_date)
                for v in s.versions.values()
            ],
            {label: v.version_id for label, v in s.labels.items()},
        )
        for s in rb.secrets()
    ]


# -- ARNs -------------------------------------------------------------------------------


def test_arn_is_name_plus_six_random_alphanumerics(rb: RegionBackend) -> None:
    secret, version = rb.create_secret("app/db", token(1), secret_string="s3cr3t")
    assert re.fullmatch(re.escape(PREFIX + "app/db-") + "[A-Za-z0-9]{6}", secret.arn)
    assert version is not None
    assert version.version_id == token(1)


def test_arn_partition_follows_region() -> None:
    assert secret_arn("cn-north-1", ACCOUNT, "n", "AbC123") == (
        f"arn:aws-cn:secretsmanager:cn-north-1:{ACCOUNT}:secret:n-AbC123"
    )
    assert secret_arn("us-gov-west-1", ACCOUNT, "n", "AbC123") == (
        f"arn:aws-us-gov:secretsmanager:us-gov-west-1:{ACCOUNT}:secret:n-AbC123"
    )
    assert secret_arn("eu-west-1", ACCOUNT, "n", "AbC123") == (
        f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:n-AbC123"
    )


def test_parse_arn_full_and_partial() -> None:
    assert parse_arn(PREFIX + "n-AbC123") == (REGION, ACCOUNT, "n-AbC123", True)
    assert parse_arn(PREFIX + "n") == (REGION, ACCOUNT, "n", False)
    assert parse_arn(PREFIX + "n-a1b2") == (REGION, ACCOUNT, "n-a1b2", False)
    assert parse_arn(PREFIX + "n-a1b2c3-") == (REGION, ACCOUNT, "n-a1b2c3-", False)
    assert parse_arn("arn:aws:s3:::bucket") is None
    assert parse_arn(f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:other:n") is None


# -- identification ---------------------------------------------------------------------


def test_find_by_name_full_arn_and_partial_arn(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("app/db", token(1), secret_string="v")
    assert rb.get("app/db") is secret
    assert rb.get(secret.arn) is secret
    assert rb.get(PREFIX + "app/db") is secret


def test_names_are_case_sensitive(rb: RegionBackend) -> None:
    rb.create_secret("Name", token(1), secret_string="v")
    assert rb.find("name") is None
    with pytest.raises(ResourceNotFoundException) as exc:
        rb.get("NAME")
    assert exc.value.message == NOT_FOUND


def test_name_with_suffix_is_not_a_name(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("app", token(1), secret_string="v")
    name_with_suffix = secret.arn.rsplit(":", 1)[1]
    assert rb.find(name_with_suffix) is None


def test_full_arn_with_wrong_suffix_region_or_account_is_not_found(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("app", token(1), secret_string="v")
    suffix = secret.arn[-6:]
    other = "AAAAAA" if suffix != "AAAAAA" else "BBBBBB"
    assert rb.find(PREFIX + "app-" + other) is None
    assert rb.find(secret.arn.replace(ACCOUNT, "999999999999")) is None
    assert rb.find(secret.arn.replace(REGION, "eu-west-1")) is None
    assert rb.find(f"arn:aws:secretsmanager:{REGION}:999999999999:secret:app") is None


def test_partial_arn_ending_like_a_suffix_is_read_as_full_arn(rb: RegionBackend) -> None:
    # AWS rule: "X-a1b2c3" looks like name "X" plus suffix, so the partial ARN misses.
    secret, _ = rb.create_secret("x-a1b2c3", token(1), secret_string="v")
    assert rb.find(PREFIX + "x-a1b2c3") is None
    assert rb.get("x-a1b2c3") is secret
    assert rb.get(secret.arn) is secret


@pytest.mark.parametrize("name", ["x-a1b2", "x-a1b2c3-", "x-a1b2c3d", "a1b2c3"])
def test_partial_arn_of_names_not_ending_in_a_suffix_shape(rb: RegionBackend, name: str) -> None:
    secret, _ = rb.create_secret(name, token(1), secret_string="v")
    assert rb.get(PREFIX + name) is secret


@pytest.mark.parametrize("bad", ["with space", "tab\tname", "semi;colon", "é", "a*b", "q?", ""])
def test_invalid_names_raise_validation_exception(rb: RegionBackend, bad: str) -> None:
    with pytest.raises(ValidationException) as exc:
        rb.create_secret(bad, token(1), secret_string="v")
    assert exc.value.message == INVALID_NAME
    assert exc.value.code == "ValidationException"
    assert exc.value.status == 400
    with pytest.raises(ValidationException) as exc:
        rb.find(bad)
    assert exc.value.message == INVALID_NAME
    assert len(rb) == 0


def test_every_allowed_name_character(rb: RegionBackend) -> None:
    name = "Az09/_+=.@-"
    secret, _ = rb.create_secret(name, token(1), secret_string="v")
    assert rb.get(name) is secret


# -- labels in the model ----------------------------------------------------------------


def make_secret() -> _model.Secret:
    return _model.Secret("n", _model.home(ACCOUNT, REGION), "AbC123", T0)


def add(secret: _model.Secret, version_id: str) -> _model.SecretVersion:
    version = _model.SecretVersion(version_id, version_id, None, T0)
    secret.add_version(version)
    return version


def stages(secret: _model.Secret) -> dict[str, list[str]]:
    return {v.version_id: list(v.stages) for v in secret.versions.values()}


def test_attach_moves_awscurrent_and_awsprevious() -> None:
    secret = make_secret()
    v1, v2, v3 = add(secret, "v1"), add(secret, "v2"), add(secret, "v3")
    _model.attach(secret, "AWSCURRENT", v1)
    assert stages(secret) == {"v1": ["AWSCURRENT"], "v2": [], "v3": []}
    _model.attach(secret, "AWSCURRENT", v2)
    assert stages(secret) == {"v1": ["AWSPREVIOUS"], "v2": ["AWSCURRENT"], "v3": []}
    _model.attach(secret, "AWSCURRENT", v3)
    assert stages(secret) == {"v1": [], "v2": ["AWSPREVIOUS"], "v3": ["AWSCURRENT"]}
    assert secret.labels == {"AWSCURRENT": v3, "AWSPREVIOUS": v2}
    assert v1.deprecated
    assert not v2.deprecated


def test_attach_to_the_holder_is_a_no_op() -> None:
    secret = make_secret()
    v1, v2 = add(secret, "v1"), add(secret, "v2")
    _model.attach(secret, "AWSCURRENT", v1)
    _model.attach(secret, "AWSCURRENT", v2)
    _model.attach(secret, "AWSCURRENT", v2)
    assert stages(secret) == {"v1": ["AWSPREVIOUS"], "v2": ["AWSCURRENT"]}


def test_attach_drops_awspending_from_the_version_losing_awscurrent() -> None:
    secret = make_secret()
    v1, v2 = add(secret, "v1"), add(secret, "v2")
    _model.attach(secret, "AWSCURRENT", v1)
    _model.attach(secret, "AWSPENDING", v1)
    _model.attach(secret, "custom", v1)
    _model.attach(secret, "AWSCURRENT", v2)
    assert stages(secret) == {"v1": ["custom", "AWSPREVIOUS"], "v2": ["AWSCURRENT"]}
    assert "AWSPENDING" not in secret.labels


def test_awspending_on_another_version_survives_an_awscurrent_move() -> None:
    secret = make_secret()
    v1, v2, v3 = add(secret, "v1"), add(secret, "v2"), add(secret, "v3")
    _model.attach(secret, "AWSCURRENT", v1)
    _model.attach(secret, "AWSPENDING", v3)
    _model.attach(secret, "AWSCURRENT", v2)
    assert stages(secret) == {"v1": ["AWSPREVIOUS"], "v2": ["AWSCURRENT"], "v3": ["AWSPENDING"]}


def test_custom_label_lives_on_one_version() -> None:
    secret = make_secret()
    v1, v2 = add(secret, "v1"), add(secret, "v2")
    _model.attach(secret, "blue", v1)
    _model.attach(secret, "blue", v2)
    assert stages(secret) == {"v1": [], "v2": ["blue"]}
    assert _model.detach(secret, "blue") is v2
    assert _model.detach(secret, "blue") is None
    assert stages(secret) == {"v1": [], "v2": []}


def test_version_stages_lists_labelled_versions_only() -> None:
    secret = make_secret()
    v1, _v2, v3 = add(secret, "v1"), add(secret, "v2"), add(secret, "v3")
    _model.attach(secret, "AWSCURRENT", v3)
    _model.attach(secret, "old", v1)
    assert secret.version_stages() == {"v1": ["old"], "v3": ["AWSCURRENT"]}


def test_reprs_never_show_values(rb: RegionBackend) -> None:
    secret, version = rb.create_secret("n", token(1), secret_string="hunter2")
    assert "hunter2" not in repr(secret)
    assert "hunter2" not in repr(version)
    assert repr(version) == f"SecretVersion(version_id='{token(1)}', stages=('AWSCURRENT',))"


# -- create / put / update in the model ---------------------------------------------------


def test_create_without_value_has_no_versions(rb: RegionBackend) -> None:
    secret, version = rb.create_secret("n", None)
    assert version is None
    assert secret.versions == {}
    assert secret.current is None


def test_create_existing_name_and_token_rules(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("n", token(1), secret_string="v")
    same, version = rb.create_secret("n", token(1), secret_string="v")
    assert same is secret
    assert version is not None
    assert version.version_id == token(1)
    before = state(rb)
    with pytest.raises(ResourceExistsException) as exc:
        rb.create_secret("n", token(1), secret_string="other")
    assert exc.value.message == (
        f"You can't use ClientRequestToken {token(1)} because that value is already in use "
        f"for a version of secret {secret.arn}."
    )
    with pytest.raises(ResourceExistsException) as exc:
        rb.create_secret("n", token(2), secret_string="v")
    assert exc.value.message == "The operation failed because the secret n already exists."
    assert state(rb) == before


def test_first_value_of_a_secret_is_always_current(rb: RegionBackend) -> None:
    rb.create_secret("n", None)
    _, version = rb.put_secret_value("n", token(1), secret_string="v", version_stages=["custom"])
    assert version.stages == ("custom", "AWSCURRENT")


def test_put_fills_an_empty_awspending_stub(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("n", token(1), secret_string="v1")
    stub = _model.new_version(token(2), None, None, None)
    secret.add_version(stub)
    _model.attach(secret, "AWSPENDING", stub)
    with pytest.raises(ResourceNotFoundException) as exc:
        rb.get_secret_value("n", version_stage="AWSPENDING")
    assert exc.value.message == (
        "Secrets Manager can't find the specified secret value for staging label: AWSPENDING"
    )
    _, filled = rb.put_secret_value(
        "n", token(2), secret_string="v2", version_stages=["AWSPENDING"]
    )
    assert filled is stub
    assert stub.secret_string == "v2"
    assert stages(secret) == {token(1): ["AWSCURRENT"], token(2): ["AWSPENDING"]}


def test_update_secret_stamps_new_versions_with_the_new_kms_key(rb: RegionBackend) -> None:
    secret, first = rb.create_secret("n", token(1), secret_string="v", kms_key_id="alias/one")
    assert first is not None
    assert first.kms_key_id == "alias/one"
    _, second = rb.update_secret("n", token(2), secret_string="v2", kms_key_id="alias/two")
    assert second is not None
    assert second.kms_key_id == "alias/two"
    assert secret.kms_key_id == "alias/two"
    _, third = rb.update_secret("n", token(3), secret_string="v3", kms_key_id="")
    assert third is not None
    assert third.kms_key_id is None
    assert secret.kms_key_id is None


# -- version quota ------------------------------------------------------------------------


def fill_to_quota(rb: RegionBackend) -> _model.Secret:
    secret, _ = rb.create_secret("n", token(0), secret_string="v0")
    for n in range(1, 100):
        rb.put_secret_value("n", token(n), secret_string=f"v{n}")
    assert len(secret.versions) == 100
    return secret


TOO_MANY = (
    "You can't create more than 100 versions of a secret while none of its deprecated "
    "versions is older than 24 hours."
)


def test_more_than_100_versions_within_24h_is_refused(rb: RegionBackend) -> None:
    with freeze_time(T0) as frozen:
        secret = fill_to_quota(rb)
        frozen.tick(datetime.timedelta(hours=24) - datetime.timedelta(microseconds=1))
        before = state(rb)
        with pytest.raises(LimitExceededException) as exc:
            rb.put_secret_value("n", token(100), secret_string="v100")
        assert exc.value.message == TOO_MANY
        with pytest.raises(LimitExceededException):
            rb.update_secret("n", token(100), secret_string="v100")
        assert state(rb) == before
        assert len(secret.versions) == 100


def test_oldest_deprecated_version_is_collected_after_24h(rb: RegionBackend) -> None:
    with freeze_time(T0) as frozen:
        secret = fill_to_quota(rb)
        # A labelled version is never collected, however old.
        rb.update_secret_version_stage("n", "keep", move_to_version_id=token(0))
        frozen.tick(datetime.timedelta(hours=24))
        rb.put_secret_value("n", token(100), secret_string="v100")
        assert len(secret.versions) == 100
        assert token(0) in secret.versions
        assert token(1) not in secret.versions
        assert secret.labels["AWSCURRENT"].version_id == token(100)
        assert secret.labels["AWSPREVIOUS"].version_id == token(99)
        with pytest.raises(InvalidRequestException) as exc:
            rb.get_secret_value("n", version_id=token(1))
        assert exc.value.message == (
            f"You can't perform this operation on secret version {token(1)} because it was deleted."
        )
        _, kept = rb.get_secret_value("n", version_id=token(0))
        assert kept.secret_string == "v0"


def test_versions_created_after_the_quota_are_not_yet_collectable(rb: RegionBackend) -> None:
    with freeze_time(T0) as frozen:
        secret = fill_to_quota(rb)
        frozen.tick(datetime.timedelta(hours=24))
        # Each write collects one of the 100 old versions (98 and 99 once they lose their
        # labels); then only versions younger than 24 h are left and writes fail again.
        for n in range(100, 200):
            rb.put_secret_value("n", token(n), secret_string=f"v{n}")
        assert sorted(secret.versions) == [token(n) for n in range(100, 200)]
        with pytest.raises(LimitExceededException):
            rb.put_secret_value("n", token(200), secret_string="v200")


# -- deletion in the model ------------------------------------------------------------------


def test_purge_is_lazy_and_exact(rb: RegionBackend) -> None:
    with freeze_time(T0) as frozen:
        secret, _ = rb.create_secret("n", token(1), secret_string="v")
        arn, name, deletion_date = rb.delete_secret("n", recovery_window_in_days=7)
        assert (arn, name) == (secret.arn, "n")
        assert deletion_date == T0 + datetime.timedelta(days=7)
        assert secret.deleted_date == T0
        frozen.tick(datetime.timedelta(days=7) - datetime.timedelta(microseconds=1))
        assert rb.get("n") is secret
        frozen.tick(datetime.timedelta(microseconds=1))
        assert rb.find("n") is None
        assert len(rb) == 0


def test_secrets_purges_expired_ones(rb: RegionBackend) -> None:
    with freeze_time(T0) as frozen:
        rb.create_secret("a", token(1), secret_string="v")
        rb.create_secret("b", token(2), secret_string="v")
        rb.delete_secret("a", recovery_window_in_days=7)
        assert [s.name for s in rb.secrets()] == ["a", "b"]
        frozen.tick(datetime.timedelta(days=7))
        assert [s.name for s in rb.secrets()] == ["b"]
        assert len(rb) == 1


def test_failed_delete_changes_nothing(rb: RegionBackend) -> None:
    rb.create_secret("n", token(1), secret_string="v")
    before = state(rb)
    for kwargs in (
        {"recovery_window_in_days": 6},
        {"recovery_window_in_days": 7, "force_delete_without_recovery": True},
    ):
        with pytest.raises(InvalidParameterException):
            rb.delete_secret("n", **kwargs)  # type: ignore[arg-type]
    assert state(rb) == before


# -- paging ----------------------------------------------------------------------------------


def test_pager_builds_one_snapshot_for_all_pages() -> None:
    pager: Pager[int] = Pager()
    calls = []

    def produce() -> list[int]:
        calls.append(1)
        return list(range(7))

    pages = []
    page, tok = pager.page(None, produce, lambda _: True, 3)
    pages.append(page)
    while tok is not None:
        page, tok = pager.page(tok, produce, lambda _: True, 3)
        pages.append(page)
    assert pages == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(calls) == 1


def test_pager_skips_items_that_vanished_and_fills_the_page() -> None:
    pager: Pager[int] = Pager()
    gone = set()
    page, tok = pager.page(None, lambda: list(range(8)), lambda i: i not in gone, 3)
    assert page == [0, 1, 2]
    gone.update({3, 5})
    page, tok = pager.page(tok, list, lambda i: i not in gone, 3)
    assert page == [4, 6, 7]
    assert tok is None


def test_pager_token_of_the_last_page_is_omitted_and_an_exact_fit_has_none() -> None:
    pager: Pager[int] = Pager()
    assert pager.page(None, lambda: [1, 2], lambda _: True, 2) == ([1, 2], None)
    assert pager.page(None, list, lambda _: True, 2) == ([], None)


@pytest.mark.parametrize(
    "bad",
    [
        "garbage",
        "c21tb2NrOjE6MQ==",  # well-formed but never handed out
        "bm90c21tb2NrOjE6MQ==",  # wrong magic
        "c21tb2NrOi0xOjE=",  # negative snapshot id
        "c21tb2NrOjE6LTE=",  # negative offset
        "!!!!",
    ],
)
def test_pager_refuses_tokens_it_did_not_hand_out(bad: str) -> None:
    pager: Pager[int] = Pager()
    with pytest.raises(InvalidNextTokenException) as exc:
        pager.page(bad, list, lambda _: True, 2)
    assert exc.value.message == "The NextToken value is not valid."


def test_pager_token_is_spent_once_its_listing_is_read_to_the_end() -> None:
    pager: Pager[int] = Pager()
    _, tok = pager.page(None, lambda: [1, 2, 3], lambda _: True, 2)
    assert tok is not None
    assert pager.page(tok, list, lambda _: True, 2) == ([3], None)
    with pytest.raises(InvalidNextTokenException):
        pager.page(tok, list, lambda _: True, 2)


def test_pager_token_is_bound_to_its_scope() -> None:
    pager: Pager[int] = Pager()
    _, tok = pager.page(None, lambda: [1, 2, 3], lambda _: True, 1, "a")
    assert tok is not None
    with pytest.raises(InvalidNextTokenException):
        pager.page(tok, list, lambda _: True, 1, "b")
    assert pager.page(tok, list, lambda _: True, 1, "a")[0] == [2]


def test_pager_forgets_the_oldest_snapshots_beyond_256() -> None:
    pager: Pager[int] = Pager()
    tokens = [pager.page(None, lambda: [1, 2], lambda _: True, 1)[1] for _ in range(257)]
    with pytest.raises(InvalidNextTokenException):
        pager.page(tokens[0], list, lambda _: True, 1)
    assert pager.page(tokens[1], list, lambda _: True, 1) == ([2], None)


def test_list_secrets_pages_a_snapshot(rb: RegionBackend) -> None:
    for n in range(5):
        rb.create_secret(f"s{n}", token(n), secret_string="v")
    page, tok = rb.list_secrets(max_results=2)
    assert [s.name for s in page] == ["s0", "s1"]
    rb.remove("s2")
    rb.delete_secret("s3", recovery_window_in_days=7)
    rb.create_secret("s5", token(5), secret_string="v")
    page, tok = rb.list_secrets(max_results=2, next_token=tok)
    # s2 is gone and s3 scheduled: skipped; s5 came after the snapshot.
    assert [s.name for s in page] == ["s4"]
    assert tok is None


def test_list_secrets_token_is_not_a_version_listing_token(rb: RegionBackend) -> None:
    for n in range(3):
        rb.create_secret(f"s{n}", token(n), secret_string="v")
    _, tok = rb.list_secrets(max_results=1)
    assert tok is not None
    with pytest.raises(InvalidNextTokenException) as exc:
        rb.list_secret_version_ids("s0", next_token=tok)
    assert exc.value.message == "The NextToken value is not valid."


def test_version_listing_token_belongs_to_its_secret(rb: RegionBackend) -> None:
    for name in ("a", "b"):
        rb.create_secret(name, token(0), secret_string="v")
        rb.put_secret_value(name, token(1), secret_string="v1")
    _, versions, tok = rb.list_secret_version_ids("a", max_results=1)
    assert [v.version_id for v in versions] == [token(0)]
    assert tok is not None
    with pytest.raises(InvalidNextTokenException):
        rb.list_secret_version_ids("b", next_token=tok)
    with pytest.raises(InvalidNextTokenException):
        rb.list_secrets(next_token=tok)
    _, versions, tok = rb.list_secret_version_ids("a", max_results=1, next_token=tok)
    assert [v.version_id for v in versions] == [token(1)]
    assert tok is None


def test_version_listing_skips_versions_deprecated_between_pages(rb: RegionBackend) -> None:
    rb.create_secret("n", token(0), secret_string="v")
    rb.put_secret_value("n", token(1), secret_string="v1", version_stages=["a"])
    rb.put_secret_value("n", token(2), secret_string="v2", version_stages=["b"])
    _, versions, tok = rb.list_secret_version_ids("n", max_results=1)
    assert [v.version_id for v in versions] == [token(0)]
    rb.update_secret_version_stage("n", "a", remove_from_version_id=token(1))
    _, versions, tok = rb.list_secret_version_ids("n", max_results=1, next_token=tok)
    assert [v.version_id for v in versions] == [token(2)]
    assert tok is None


# -- SecretsBackend: the typed API -------------------------------------------------------------


def test_seeding_api_matches_create_secret() -> None:
    backend = SecretsBackend()
    secret = backend.create_secret("n", "v1", description="d", tags={"k": "v"}, version_id=token(1))
    assert secret.region == REGION
    assert secret.account_id == ACCOUNT
    assert secret.description == "d"
    assert secret.tags == {"k": "v"}
    version = backend.put_secret_value("n", "v2", version_id=token(2))
    assert version.stages == ("AWSCURRENT",)
    assert backend.labels("n") == {"AWSCURRENT": token(2), "AWSPREVIOUS": token(1)}
    assert backend.get_secret(secret.arn) is secret
    assert backend.secrets() == [secret]
    assert repr(backend) == "SecretsBackend(account_id='123456789012', region='us-east-1')"


def test_seeding_default_version_ids_are_uuids() -> None:
    backend = SecretsBackend()
    secret = backend.create_secret("n", "v")
    assert secret.current is not None
    assert re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", secret.current.version_id)


def test_regions_and_accounts_are_isolated() -> None:
    backend = SecretsBackend(account_id="111111111111", region="eu-west-1")
    here = backend.create_secret("n", "v")
    there = backend.create_secret("n", "w", region="us-east-1")
    other = backend.create_secret("n", "x", account_id="222222222222")
    assert here.arn.startswith("arn:aws:secretsmanager:eu-west-1:111111111111:secret:n-")
    assert there.arn.startswith("arn:aws:secretsmanager:us-east-1:111111111111:secret:n-")
    assert other.arn.startswith("arn:aws:secretsmanager:eu-west-1:222222222222:secret:n-")
    assert backend.secrets() == [here]
    assert backend.secrets(region="us-east-1") == [there]
    assert backend.secrets(account_id="222222222222") == [other]
    assert sorted(s.arn for s in backend.all_secrets()) == sorted([here.arn, there.arn, other.arn])
    backend.reset()
    assert backend.all_secrets() == []


def test_get_secret_of_a_purged_secret_raises_not_found() -> None:
    backend = SecretsBackend()
    with freeze_time(T0) as frozen:
        backend.create_secret("n", "v")
        backend.region_backend().delete_secret("n", recovery_window_in_days=30)
        assert backend.get_secret("n").deletion_date == T0 + datetime.timedelta(days=30)
        frozen.tick(datetime.timedelta(days=30))
        with pytest.raises(ResourceNotFoundException) as exc:
            backend.get_secret("n")
        assert exc.value.message == NOT_FOUND


def test_looking_up_an_arn_of_an_unused_account_or_region_keeps_no_store() -> None:
    from smmock._wire import protocol as _protocol

    sm = SecretsBackend()
    arn = "arn:aws:secretsmanager:ap-south-1:999999999999:secret:ghost-AbCdEf"
    status, _ = _protocol.handle(
        sm,
        "us-east-1",
        "123456789012",
        "secretsmanager.DescribeSecret",
        f'{{"SecretId": "{arn}"}}'.encode(),
    )
    assert status == 400
    assert sm.existing_region_backend("ap-south-1", "999999999999") is None
