"""What every section builder needs, computed once: arrays, lenses, utilities, feasibility."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from accord.analysis import wording
from accord.analysis.case_arrays import CaseArrays, FloatArray, case_arrays
from accord.analysis.crux.lenses import Lenses
from accord.analysis.settings import AnalysisSettings, analysis_date
from accord.model.case import Case


@dataclass
class Prepared:
    """One case turned into arrays, with the analysis date and the settings.

    ``weighted`` are the indices of the stakeholders who gave weights; utilities,
    lenses and every per-stakeholder array below cover those stakeholders only, in
    that order (``voices`` are their ids).
    """

    case: Case
    arrays: CaseArrays
    settings: AnalysisSettings
    today: dt.date

    @classmethod
    def of(cls, case: Case, settings: AnalysisSettings) -> Prepared:
        return cls(case, case_arrays(case), settings, analysis_date(settings))

    @property
    def weighted(self) -> list[int]:
        return self.arrays.weighted

    @property
    def voices(self) -> list[str]:
        return [self.arrays.stakeholder_ids[s] for s in self.weighted]

    @property
    def voice_names(self) -> list[str]:
        return [self.arrays.stakeholder_names[s] for s in self.weighted]

    @property
    def options(self) -> list[str]:
        return self.arrays.option_ids

    @property
    def criteria(self) -> list[str]:
        return self.arrays.criterion_ids

    def option_labels(self, feasible: Collection[int]) -> list[str]:
        """Option names as sentences name them: "(excluded)" after each one not feasible."""
        return [
            wording.option_label(name, o in feasible)
            for o, name in enumerate(self.arrays.option_names)
        ]

    @cached_property
    def own(self) -> np.ndarray:
        """Criteria scored by stakeholders themselves (no shared estimate)."""
        return np.array(
            [c.scored_by_stakeholders for c in self.case.criteria], dtype=np.bool_
        ).reshape(len(self.case.criteria))

    @cached_property
    def lenses(self) -> Lenses:
        """The weighted stakeholders' own lenses (the one view every output reports)."""
        a = self.arrays
        return Lenses.build(
            a.lens[self.weighted]
            if self.weighted
            else np.zeros((0, len(a.option_ids), len(a.criterion_ids))),
            a.weights[self.weighted] if self.weighted else np.zeros((0, len(a.criterion_ids))),
            a.maximise,
            method=self.settings.normalization,
            shared=a.likely,
            low=a.low,
            high=a.high,
            own=self.own,
        )

    @cached_property
    def utilities(self) -> FloatArray:
        """Weighted stakeholders x options."""
        return self.lenses.utilities()

    @cached_property
    def shared_scores(self) -> FloatArray:
        """The shared estimates normalised (company scores, goal service)."""
        return self.lenses.shared_scores()

    def stakeholder_index(self, stakeholder_id: str) -> int:
        return self.arrays.stakeholder_ids.index(stakeholder_id)
