"""Page-chrome detection: the chrome of scraped pages is found, the article never is."""

from pathlib import Path

import pytest

from editor.api import check_text

BP = ["BP101", "BP102", "BP103", "BP104"]
SAMPLE = Path("/work/shared/samples/walking-backwards.txt")

ARTICLE_WITH_CHROME = """Home > Travel > Asia

Share

Three days in Kunming

May 4, 2024

Kunming stays mild all year, which is why locals call it the city of spring. Most visitors arrive by high-speed train from Guangzhou.

Getting around

The metro reaches the airport and the old town. Buses are cheap but slow at rush hour.

Related articles

  • Ten quiet lakes in Yunnan
  • What to pack for the mountains

Read more about the flower market in our spring guide, which we update every year.

Where to eat

Try the crossing-the-bridge noodles near Green Lake
Like
56

Hot Picks

Tea Towns of Pu'er
1
Tea Towns of Pu'er

Pu'er is famous for its tea, but few visitors know that the town also has some of the oldest terraced fi

April 30, 2024
"""


def _flagged(text: str) -> set[str]:
    return {text[f.span.start:f.span.end].strip() for f in check_text(text, fmt="txt", select=BP)}


def test_generic_article_chrome_found_and_body_kept():
    flagged = _flagged(ARTICLE_WITH_CHROME)
    for chrome in ["Home > Travel > Asia", "Share", "Related articles", "Ten quiet lakes in Yunnan",
                   "What to pack for the mountains", "Like", "56", "Hot Picks", "Tea Towns of Pu'er", "1",
                   "April 30, 2024"]:
        assert any(chrome in s for s in flagged), chrome  # alone, or inside its region (BP100)
    assert any("Pu'er is famous" in s for s in flagged)
    for body in ["Three days in Kunming", "May 4, 2024", "Getting around", "Where to eat"]:
        assert not any(body in s for s in flagged), body
    assert not any(s.startswith(("Kunming stays", "The metro", "Read more about", "Try the")) for s in flagged)


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample article not available")
def test_sample_everything_from_share_on_is_chrome():
    text = SAMPLE.read_text()
    cut = text.index("\nShare\n") + 1
    findings = check_text(text, fmt="txt", select=BP)
    assert findings
    assert all(f.span.start >= cut for f in findings), "article body taken for chrome"
    covered = set()
    for f in findings:
        covered.update(range(f.span.start, f.span.end))
    rest = [i for i in range(cut, len(text)) if not text[i].isspace() and text[i] != "•"]
    assert all(i in covered for i in rest), "some chrome left"


def test_plain_articles_have_no_chrome():
    text = ("Share prices rose.\n\nPopular wisdom says rain follows wind.\n\n"
            "Next\n\nThe next step is to dry the leaves, which takes two days in the sun and")
    assert _flagged(text) == set()
    # a section title alone does not make the paragraph after it a teaser
    text2 = "Drink water.\n\nRead more\n\nThe next step is to dry the leaves, which takes two days in the sun and"
    assert _flagged(text2) == {"Read more"}
