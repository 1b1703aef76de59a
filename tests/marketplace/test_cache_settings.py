"""The cache comes from CACHE_URL: per-process memory by default, Redis/Valkey when shared."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from marketplace.settings import cache_settings


def test_without_cache_url_each_process_has_its_own_memory_cache():
    assert cache_settings("") == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert cache_settings("locmem:")["BACKEND"].endswith("LocMemCache")


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/1", "rediss://cache.example:6380/0", "unix:///run/redis.sock"]
)
def test_a_redis_or_valkey_url_gives_the_shared_redis_cache(url):
    cache = cache_settings(url)
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == url


def test_an_unknown_cache_url_is_a_configuration_error_that_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://127.0.0.1:11211")


def test_sessions_live_in_the_database_that_every_app_server_shares():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
