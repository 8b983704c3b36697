from . import helpdesk_portal
from . import seller_portal
from . import data_rights
