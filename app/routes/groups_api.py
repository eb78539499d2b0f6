"""Answer groups under /api/v1, for a facilitator of the workshop (bearer token or session,
as the agenda API): suggest, read, save, edit, and turn a group into an actiepunt."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.agenda_models import AgendaItemPublic
from app.api.deps import ApiFacilitatedWorkshop, csrf_unless_bearer
from app.api.errors import RESPONSES, ApiRoute
from app.deps import PublisherDep, SessionDep, reads_only
from app.ids import DbId
from app.services import group_edits, groups
from app.services.groups import MAX_GROUPS, MAX_LABEL, GroupInput, GroupView

router = APIRouter(
    prefix="/v1/workshops/{workshop_id}/prompts/{prompt_id}",
    tags=["groups"],
    dependencies=[Depends(csrf_unless_bearer)],
    route_class=ApiRoute,
    responses=RESPONSES,
)
MAX_ANSWERS = 2000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# One suggested group: a label and its answers (each answer in at most one group).
class SuggestionOut(BaseModel):
    label: str
    answer_ids: list[int]


class SuggestionsOut(BaseModel):
    groups: list[SuggestionOut]


# A stored group; `fixed`: accepted or edited, its answers never move by themselves.
class GroupOut(BaseModel):
    id: int
    label: str
    position: int
    fixed: bool
    answer_ids: list[int]


class GroupsOut(BaseModel):
    groups: list[GroupOut]


class GroupIn(_In):
    label: str = Field(min_length=1, max_length=MAX_LABEL)
    answer_ids: list[DbId] = Field(default_factory=list, max_length=MAX_ANSWERS)
    fixed: bool = False


class GroupsIn(_In):
    groups: list[GroupIn] = Field(max_length=MAX_GROUPS)


# Rename and/or accept: fields left out stay as they are.
class GroupPatch(_In):
    label: str | None = Field(default=None, min_length=1, max_length=MAX_LABEL)
    fixed: bool | None = Field(default=None, description="true accepts the group as it is.")


class MergeIn(_In):
    into: DbId = Field(description="The group that receives every answer of this one.")


class SplitIn(_In):
    label: str = Field(min_length=1, max_length=MAX_LABEL)
    answer_ids: list[DbId] = Field(min_length=1, max_length=MAX_ANSWERS)


class MoveIn(_In):
    group_id: DbId | None = Field(description="The target group; null takes it out of groups.")


def _out(views: list[GroupView]) -> GroupsOut:
    return GroupsOut(groups=[_one(v) for v in views])


def _one(view: GroupView) -> GroupOut:
    return GroupOut(
        id=view.id,
        label=view.label,
        position=view.position,
        fixed=view.fixed,
        answer_ids=list(view.answer_ids),
    )


@router.post(
    "/groups/suggest",
    responses={409: {"description": "A scale prompt."}},
    dependencies=[Depends(reads_only)],
)
def suggest(
    prompt_id: DbId, workshop: ApiFacilitatedWorkshop, session: SessionDep
) -> SuggestionsOut:
    """Groeperen: suggested groups of the visible answers. Stores nothing."""
    found = groups.suggest(session=session, workshop=workshop, prompt_id=prompt_id)
    return SuggestionsOut(
        groups=[SuggestionOut(label=s.label, answer_ids=list(s.answer_ids)) for s in found]
    )


@router.get("/groups")
def read_groups(
    prompt_id: DbId, workshop: ApiFacilitatedWorkshop, session: SessionDep
) -> GroupsOut:
    prompt = groups.open_prompt_of(session=session, workshop=workshop, prompt_id=prompt_id)
    assert prompt.id is not None
    return _out(groups.groups_of(session=session, prompt_id=prompt.id))


@router.put("/groups")
def save_groups(
    prompt_id: DbId,
    body: GroupsIn,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> GroupsOut:
    """Replace the prompt's groups: each answer in at most one (422 otherwise)."""
    given = [GroupInput(g.label, tuple(g.answer_ids), g.fixed) for g in body.groups]
    saved = groups.save_groups(
        session=session, publisher=publisher, workshop=workshop, prompt_id=prompt_id, groups=given
    )
    return _out(saved)


@router.post("/groups/regroup")
def regroup(
    prompt_id: DbId, workshop: ApiFacilitatedWorkshop, session: SessionDep, publisher: PublisherDep
) -> GroupsOut:
    """Group the free answers again; fixed groups and answers taken out stay."""
    done = groups.regroup(
        session=session, publisher=publisher, workshop=workshop, prompt_id=prompt_id
    )
    return _out(done)


@router.patch("/groups/{group_id}")
def edit_group(
    prompt_id: DbId,
    group_id: DbId,
    body: GroupPatch,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> GroupOut:
    """Rename (`label`) or accept (`fixed: true`) a group."""
    group_edits.edit(
        session=session,
        publisher=publisher,
        workshop=workshop,
        group_id=group_id,
        prompt_id=prompt_id,
        label=body.label,
        fixed=body.fixed,
    )
    return _one(
        groups.group_in_workshop(
            session=session, workshop=workshop, group_id=group_id, prompt_id=prompt_id
        )
    )


@router.post("/groups/{group_id}/merge")
def merge(
    prompt_id: DbId,
    group_id: DbId,
    body: MergeIn,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> GroupOut:
    """Samenvoegen: this group's answers join `into`; this group is gone."""
    merged = group_edits.merge(
        session=session,
        publisher=publisher,
        workshop=workshop,
        group_id=group_id,
        into_id=body.into,
        prompt_id=prompt_id,
    )
    return _one(merged)


@router.post("/groups/{group_id}/split", status_code=201)
def split(
    prompt_id: DbId,
    group_id: DbId,
    body: SplitIn,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> GroupOut:
    """Splitsen: the chosen answers leave for a new group; returns the new group."""
    made = group_edits.split(
        session=session,
        publisher=publisher,
        workshop=workshop,
        group_id=group_id,
        answer_ids=body.answer_ids,
        label=body.label,
        prompt_id=prompt_id,
    )
    return _one(made)


@router.put("/answers/{answer_id}/group", status_code=204)
def move(
    prompt_id: DbId,
    answer_id: DbId,
    body: MoveIn,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    """Move an answer to a group, or (null) out of every group."""
    group_edits.move(
        session=session,
        publisher=publisher,
        workshop=workshop,
        answer_id=answer_id,
        group_id=body.group_id,
        prompt_id=prompt_id,
    )
    return Response(status_code=204)


@router.delete("/groups/{group_id}", status_code=204)
def delete_group(
    prompt_id: DbId,
    group_id: DbId,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> Response:
    """The group goes; its answers are free for the next Groeperen."""
    group_edits.delete_group(
        session=session,
        publisher=publisher,
        workshop=workshop,
        group_id=group_id,
        prompt_id=prompt_id,
    )
    return Response(status_code=204)


@router.post("/groups/{group_id}/agenda-item", status_code=201)
def make_item(
    prompt_id: DbId,
    group_id: DbId,
    workshop: ApiFacilitatedWorkshop,
    session: SessionDep,
    publisher: PublisherDep,
) -> AgendaItemPublic:
    """Maak actiepunt: title from the label, every answer of the group linked as a source."""
    item = group_edits.item_from_group(
        session=session,
        publisher=publisher,
        workshop=workshop,
        group_id=group_id,
        prompt_id=prompt_id,
    )
    return AgendaItemPublic.model_validate(item, from_attributes=True)
