"""The table registry: importing it puts every capability's tables in SQLModel.metadata.

Each capability keeps its tables in its own models.py, placed at the lowest package that reads them
(speed-meet rounds and arrival slots in events, Registration in registration). Foreign keys point
across packages, also upwards (a message names its registration), and SQLAlchemy resolves them from
the metadata at the first flush. So a process imports this module before it uses the Database: the
app through eventtool.startup, the command line through __main__, Alembic's env.py, the tests'
conftest and any child process that writes. Nothing inside a capability imports it: it sits on top."""
from eventtool.core import models as core  # noqa: F401
from eventtool.events import models as events  # noqa: F401
from eventtool.messages import models as messages  # noqa: F401
from eventtool.people import models as people  # noqa: F401
from eventtool.registration import models as registration  # noqa: F401
from eventtool.results import models as results  # noqa: F401
