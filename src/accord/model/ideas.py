"""Short statements for the opinion map and free-text ideas from workshops."""

from __future__ import annotations

from pydantic import Field

from accord.model.base import AccordModel, Slug, StrictNumber


class CaseStatement(AccordModel):
    """A short statement stakeholders agree with, disagree with or pass on."""

    id: Slug = Field(description="Statement id, unique in the case.")
    text: str = Field(description="The statement.")
    author: Slug | None = Field(default=None, description="Stakeholder id who wrote it.")


class Idea(AccordModel):
    """A free-text idea or initiative from an interview or workshop."""

    id: Slug = Field(description="Idea id, unique in the case.")
    text: str = Field(description="The idea.")
    by: Slug | None = Field(default=None, description="Stakeholder id who proposed it.")
    team: str | None = Field(default=None, description="Proposing team or department.")
    cost: StrictNumber | None = Field(default=None, ge=0, description="Cost in budget currency.")
