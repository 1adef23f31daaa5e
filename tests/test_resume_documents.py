"""Text extraction from real and generated resume files, and the specific error of each bad file."""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import fixture_resume
from jobsearch_mcp_server.resume.cleaning import clean_text, garbled_share
from jobsearch_mcp_server.resume.documents import decode_text, extract_document, markdown_to_text
from jobsearch_mcp_server.resume.unreadable import UnreadableDocument


def extract(name: str):
    return extract_document(fixture_resume(name).read_bytes(), name)


def test_two_column_pdf_is_read_column_by_column():
    """The generator draws sidebar and main column line by line; pypdf alone interleaves them."""
    text = extract("generated_two_column.pdf").text
    sidebar = (
        text.index("CONTACT"),
        text.index("SKILLS"),
        text.index("LANGUAGES"),
        text.index("Spanish (fluent)"),
    )
    main = text.index("SUMMARY"), text.index("EXPERIENCE"), text.index("Senior Data Engineer, Northwind")
    assert list(sidebar) == sorted(sidebar) and list(main) == sorted(main)
    assert max(sidebar) < min(main)  # the whole sidebar before the main column
    assert "Senior Data Engineer, Northwind Analytics Inc.\nMar 2020 - Present\n" in text
    assert text.startswith("Maria Lopez\nSenior Data Engineer\n")  # the header stays on top


def test_ligatures_and_bullet_glyphs_are_cleaned():
    text = extract("generated_two_column.pdf").text
    assert "efficient batch" in text and "financial" in text and "work flow" in text and "first CI/CD" in text
    assert not any(glyph in text for glyph in "ﬁﬂﬃ•▪")
    assert "- Python, SQL, PySpark\n- Airflow, dbt, Snowflake\n- Docker, k8s, Terraform" in text


def test_real_xelatex_two_column_pdf():
    extracted = extract("real_deedy_two_column.pdf")
    assert extracted.kind == "pdf" and extracted.pages == 1
    assert "Artificial Intelligence + Practicum" in extracted.text  # "ﬁ" in the file
    assert "Java | Shell | Python | Javascript" in extracted.text  # inline bullets become separators
    assert extracted.text.index("EDUCATION") < extracted.text.index("EXPERIENCE")


def test_chinese_cid_font_pdf():
    text = extract("generated_chinese.pdf").text
    assert "教育经历\n2010.09 - 2014.06 浙江大学 计算机科学与技术 本科" in text
    assert "电话:138 0013 8000" in text  # full-width colon normalised


def test_chinese_pdf_without_unicode_map_is_refused_with_the_reason():
    with pytest.raises(UnreadableDocument, match="no correct Unicode map"):
        extract("real_billryan_zh_no_unicode_map.pdf")


def test_docx_header_tables_and_list_bullets():
    text = extract("generated_tables.docx").text
    lines = text.split("\n")
    assert (
        lines[0] == "Priya Raman | priya.raman@example.com | +44 20 7946 0958 | London, UK"
    )  # page header first
    assert "Feb 2019 – Present | Senior Staff Nurse, St Mary's Hospital | London, UK" in lines
    assert "- Triage and patient assessment for a 24-bed ICU" in lines
    assert "Clinical | Patient Assessment, Phlebotomy, Infection Control" in lines
    assert "English, Tamil, 普通话 (basic)" in lines


def test_real_pandoc_docx():
    text = extract("real_mfr_pandoc.docx").text
    assert text.startswith("Person With Name\n")
    assert "- Director, Company 1, City, Country.\nJanuary 2020 - till date." in text


def test_markdown_and_gb18030_text():
    markdown = extract("real_blankj_zh.md")
    assert markdown.kind == "markdown"
    assert "- 电子邮箱: blankj@qq.com\n" in markdown.text  # [x](x) links collapse to x
    assert "- GitHub: https://github.com/Blankj" in markdown.text
    assert "**" not in markdown.text and "^†^" not in markdown.text
    gb = extract("generated_chinese_gb18030.txt")
    assert gb.kind == "text" and gb.text.startswith("张伟\n高级后端开发工程师")


def test_mojibake_from_the_real_data_set_is_repaired():
    text = extract("real_dataset_health_fitness.txt").text
    assert "â" not in text and "\x80" not in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("generated_encrypted.pdf", "password-protected"),
        ("generated_corrupt.pdf", "corrupt or truncated"),
        ("generated_truncated.pdf", "corrupt or truncated"),
        ("generated_scanned.pdf", "only images .* no text layer. Run it through OCR"),
        ("generated_empty.txt", "empty"),
        ("generated_legacy.doc", "old Word 97-2003 .doc"),
        ("generated_photo.png", "PNG image"),
        ("generated_zip_bomb.docx", "too large to be a resume"),
    ],
)
def test_bad_files_get_specific_errors(name, message):
    with pytest.raises(UnreadableDocument, match=message):
        extract(name)


def test_binary_and_non_resume_zip_are_unsupported():
    with pytest.raises(UnreadableDocument, match="binary file"):
        extract_document(b"\x00\x01\x02garbage" * 50, "x.bin")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableDocument, match="ZIP archive but not a Word"):
        extract_document(buffer.getvalue())


def test_clean_text_rules():
    raw = (
        "教 育 经 历\n张  三\n高级 Android 开发工程师 阿里巴巴\n\uf0b7 Word bullet\n➢ arrow\n"
        "develop-\nment\nNaÃ¯ve\r\nA\u00a0B"
    )
    assert (
        clean_text(raw)
        == "教育经历\n张三\n高级 Android 开发工程师 阿里巴巴\n- Word bullet\n- arrow\ndevelopment\nNaïve\nA B"
    )


def test_garbled_share_tells_broken_fonts_from_real_scripts():
    assert garbled_share("୆֥ն଀ ࢝ტМࣟ ഈࢌݚ๙ն࿐") > 0.9
    assert garbled_share("Zhang Wei 张伟 Москва नमस्ते 東京タワー") == 0.0


def test_decode_text_and_markdown_helpers():
    assert decode_text("Grüße".encode("utf-16")) == "Grüße"
    assert decode_text("café".encode("cp1252")) == "café"
    assert (
        markdown_to_text("## Skills\n* **Python** and [site](https://x.dev)")
        == "Skills\n- Python and site (https://x.dev)"
    )
