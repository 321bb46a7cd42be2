from django.core.asgi import get_asgi_application

from smartcity.environment import use_settings

use_settings()
application = get_asgi_application()
