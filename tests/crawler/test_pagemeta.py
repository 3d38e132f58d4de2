"""Publication dates and titles from detail pages."""

from __future__ import annotations

from datetime import date

import pytest
from parsel import Selector

from crawler.pagemeta import page_title, publication_date


@pytest.mark.parametrize(("html", "expected"), [
    ('<head><meta name="PubDate" content="2024-01-19 10:05"></head><body>x</body>', date(2024, 1, 19)),
    ('<head><meta name="firstpublishedtime" content="2024-01-19-10:00:00"></head>', date(2024, 1, 19)),
    ("<body><span>发布日期：2024-01-20</span></body>", date(2024, 1, 20)),
    ("<body><span>发布时间：2024年01月21日 09:30</span></body>", date(2024, 1, 21)),
    ("<body><span>来源：本站</span></body>", None),
])
def test_publication_date(html: str, expected: date | None) -> None:
    assert publication_date(Selector(text=html)) == expected


def test_title_prefers_article_title_meta() -> None:
    html = '<head><meta name="ArticleTitle" content="A"><title>B_门户</title></head><body><h1>C</h1></body>'
    assert page_title(Selector(text=html)) == "A"
    assert page_title(Selector(text="<title>B</title><body><h1> C </h1></body>")) == "C"
