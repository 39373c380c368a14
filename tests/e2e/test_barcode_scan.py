"""Each barcode symbology, drawn by the server's SVG and rendered by the browser, reads back with zbar."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from pyzbar.pyzbar import decode

from yongin_app.services.barcode import SYMBOLOGIES, barcode_data_uri

CARD_NUMBERS = ["1570000100", "1579999999", "1570001234"]
# What a scanner sends for each symbology (Codabar's start/stop characters "A…A" are stripped by the scanner).
EXPECTED_TYPE = {"code128": "CODE128", "code39": "CODE39", "codabar": "CODABAR"}


@pytest.fixture
def phone_page(browser: Browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("symbology", SYMBOLOGIES)
@pytest.mark.parametrize("card_number", CARD_NUMBERS)
def test_barcode_reads_back_to_the_card_number(phone_page: Page, symbology: str, card_number: str):
    page = phone_page
    # The card's barcode box: about 340 CSS px wide, as on a 390 px phone.
    page.set_content(
        f'<body style="margin:0;background:#fff"><img id="code" alt="" '
        f'src="{barcode_data_uri(card_number, symbology)}" style="display:block;width:340px;height:96px"></body>'
    )
    results = decode(Image.open(io.BytesIO(page.locator("#code").screenshot())))
    assert [r.type for r in results] == [EXPECTED_TYPE[symbology]]
    text = results[0].data.decode()
    if symbology == "codabar":
        assert text[0] == text[-1] == "A"
        text = text[1:-1]
    assert text == card_number
