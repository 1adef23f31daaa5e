"""The skill taxonomy and a fast matcher, shared by resume parsing and job matching."""

from .matcher import SkillMatch, SkillMatcher, canonical_skill, default_matcher, extract_skills, skill_names
from .taxonomy import Skill, Taxonomy, TaxonomyError, load_taxonomy

__all__ = [
    "Skill",
    "SkillMatch",
    "SkillMatcher",
    "Taxonomy",
    "TaxonomyError",
    "canonical_skill",
    "default_matcher",
    "extract_skills",
    "load_taxonomy",
    "skill_names",
]
