"""The server's MCP surface through the in-memory client (the fastest real session)."""

import pytest

pytestmark = pytest.mark.anyio


async def test_lists_tools_with_annotations(client):
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "track_application" in tools
    assert tools["track_application"].annotations.read_only_hint is False
    assert tools["track_application"].output_schema is not None


async def test_application_round_trip(client):
    result = await client.call_tool("track_application", {"job_id": "demo-1", "status": "applied", "notes": "sent",
                                                        "title": "Data Engineer", "company": "Acme"})
    assert not result.is_error
    app_id = result.structured_content["application_id"]
    again = await client.call_tool("track_application", {"job_id": "demo-1", "status": "interviewing"})
    assert again.structured_content["application_id"] == app_id
    assert again.structured_content["notes"] == "sent"
    listing = await client.read_resource("applications://all")
    assert '"interviewing"' in listing.contents[0].text


async def test_bad_argument_is_a_tool_error(client):
    result = await client.call_tool("track_application", {"job_id": "x", "status": "hired-yesterday"})
    assert result.is_error
    assert "status" in result.content[0].text


async def test_prompt_renders_in_both_languages(client):
    en = await client.get_prompt("job_search_assistant", {"goal": "data engineer in Berlin"})
    assert "data engineer in Berlin" in en.messages[0].content.text
    zh = await client.get_prompt("job_search_assistant", {"goal": "北京的数据工程师", "language": "zh"})
    assert "北京的数据工程师" in zh.messages[0].content.text
    assert "求职助手" in zh.messages[0].content.text


async def test_descriptions_are_dedented_for_models(client):
    tool = next(t for t in (await client.list_tools()).tools if t.name == "track_application")
    assert "\n        " not in tool.description
    templates = (await client.list_resource_templates()).resource_templates
    assert all(not (t.description or "").startswith(" ") for t in templates)


async def test_completion_offers_languages_and_stored_ids(client):
    from mcp.types import PromptReference, ResourceTemplateReference

    languages = await client.complete(PromptReference(type="ref/prompt", name="job_search_assistant"),
                                      {"name": "language", "value": "z"})
    assert languages.completion.values == ["zh"]
    created = await client.call_tool("track_application", {"job_id": "j-1", "url": "https://jobs.example/1"})
    app_id = created.structured_content["application_id"]
    ids = await client.complete(ResourceTemplateReference(type="ref/resource", uri="application://{application_id}"),
                                {"name": "application_id", "value": app_id[:3]})
    assert app_id in ids.completion.values
