"""What the domain apps' `AppConfig.ready()` do alike: load the modules through which an app fills the platform's
registries (docs/architecture.md, "Registries").

An app names its modules in the order it registers them. A module with a `register()` (alerts, documents,
reports, dashboards) has it called; one without registers as it is imported (the import sheets, declared with
`@register_sheet`).
"""

from importlib import import_module


def register_modules(app_config, *names):
    for name in names:
        module = import_module(f"{app_config.name}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register()
