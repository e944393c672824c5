from .hooks import *  # noqa: F401,F403
from .pseudo_label import *  # noqa: F401,F403
