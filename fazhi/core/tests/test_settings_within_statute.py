"""A local setting may make a statutory period shorter, never longer: the save is refused with the article
(the deadlines clamp such a number anyway — silently, which would leave the setting lying)."""

import pytest

from fazhi.core.errors import DomainError


def test_a_petition_period_longer_than_the_regulation_is_refused_with_its_article(demo):
    from fazhi.mediation.models import MediationSettings
    from fazhi.mediation.services import committees as cs

    admin, town = demo.user("litou_admin"), demo.litou
    before = MediationSettings.objects.filter(region=town).count()
    with pytest.raises(DomainError, match="信访工作条例第三十一条.*不得超过15日.*不能设为20日"):
        cs.settings_save(actor=admin, region=town, petition_receipt_days=20)
    with pytest.raises(DomainError, match="第三十五条.*不得超过30日"):
        cs.settings_save(actor=admin, region=town, petition_extension_max_days=45)
    assert MediationSettings.objects.filter(region=town).count() == before
    saved = cs.settings_save(actor=admin, region=town, petition_receipt_days=10)  # stricter is the township's call
    assert saved.petition_receipt_days == 10


def test_a_seizure_period_longer_than_the_coercion_law_is_refused(demo):
    from fazhi.enforcement import services
    from fazhi.enforcement.models import StatutorySettings

    admin, town = demo.user("litou_admin"), demo.litou
    with pytest.raises(DomainError, match="行政强制法第二十五条.*不得超过30日"):
        services.settings_save(actor=admin, region=town, seizure_days=60)
    assert not StatutorySettings.objects.filter(region=town, seizure_days=60).exists()
    assert services.settings_save(actor=admin, region=town, seizure_days=20).seizure_days == 20
