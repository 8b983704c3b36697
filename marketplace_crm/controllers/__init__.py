from . import helpdesk_portal
from . import seller_portal
from . import seller_quality_portal
from . import seller_public
from . import data_rights
