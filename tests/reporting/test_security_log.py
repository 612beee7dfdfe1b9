"""Publications, refusals and downloads of restricted files reach the security log."""

from ..conftest import sign_in_with_second_factor


def test_a_publication_is_logged_with_the_reviewer(client, secretariat, thai_submitted, security_log):
    sign_in_with_second_factor(client, secretariat)
    client.post(f"/review/actions/{thai_submitted.pk}/approve/", {"validated_status": "completed"})
    assert security_log() == [("published", "secretariat", f"action {thai_submitted.pk}")]


def test_a_refused_action_is_logged_for_the_focal_point_of_another_actor(
    client, australian_focal_point, thai_draft, security_log
):
    client.force_login(australian_focal_point)
    assert client.get(f"/my/actions/{thai_draft.pk}/").status_code == 404
    assert security_log() == [("permission refused", "olivia", f"action {thai_draft.pk} (report)")]


def test_restricted_files_are_logged_when_downloaded_and_when_refused(
    client, thai_restricted_file, thai_focal_point, australian_focal_point, security_log
):
    url = thai_restricted_file.get_absolute_url()
    client.force_login(thai_focal_point)
    client.get(url)
    client.force_login(australian_focal_point)
    client.get(url)
    assert security_log() == [
        ("restricted file downloaded", "somchai", f"evidence file {thai_restricted_file.pk}"),
        ("permission refused", "olivia", f"evidence file {thai_restricted_file.pk}"),
    ]
