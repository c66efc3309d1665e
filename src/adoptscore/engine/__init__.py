"""The scoring engine: a rubric compiled to backend-agnostic Ibis expressions."""
from adoptscore.engine.compile import CompiledRubric, compile_rubric

__all__ = ["CompiledRubric", "compile_rubric"]
