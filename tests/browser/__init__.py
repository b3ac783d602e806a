"""Tests in a real browser (Chromium): see conftest.py."""
