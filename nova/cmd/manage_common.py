"""The small framework behind ``nova-manage``: command declaration, parsing, output.

A category is a class whose public methods are its commands; each command's
arguments are declared with :func:`args` and parsed by the argparse
sub-parsers that oslo.config builds for a ``SubCommandOpt``, so the global
options (``--config-file``, ``--debug``...) work before or after the command.
"""

import functools
import inspect
import re

import prettytable

# Parsed command arguments are stored under this prefix so that they never
# collide with oslo.config's own command line options (debug, config_file...).
_KWARG_PREFIX = 'action_kwarg_'

# EX_UNAVAILABLE from sysexits.h: never confused with a documented nova-manage code.
NOT_IMPLEMENTED_EXIT = 69

# user:password@ in each host of a URL (rabbit URLs may list several hosts).
_PASSWORD_IN_URL = re.compile(r'([/,][^:/@,]*):[^@/]*@')


def args(*option_strings, **kwargs):
    """Declare one argparse argument of a command (decorators apply bottom-up)."""
    def decorator(func):
        func.__dict__.setdefault('cli_args', []).insert(0, (option_strings, kwargs))
        return func
    return decorator


def action_description(text):
    """Give a command a help text other than its docstring's first line."""
    def decorator(func):
        func.description = text
        return func
    return decorator


def not_implemented(func):
    """Mark a command that exists for compatibility but does nothing yet."""
    @functools.wraps(func)
    def wrapper(self, **kwargs):
        print('nova-manage %s %s: not implemented in this release'
              % (self.category_name, func.__name__))
        return NOT_IMPLEMENTED_EXIT
    return wrapper


def positive_count(text):
    """``--max-count`` style input as an int, or None unless it is a positive integer."""
    try:
        count = int(text)
    except ValueError:
        return None
    return count if count >= 1 else None


def _commands(category):
    """Public methods of a category class, i.e. its commands, by name."""
    found = []
    for name, member in inspect.getmembers(category, inspect.isfunction):
        if not name.startswith('_'):
            found.append((name, member))
    return found


def _help_of(func):
    text = getattr(func, 'description', None) or inspect.getdoc(func) or ''
    return text.strip().split('\n')[0]


def _dest_of(option_strings, kwargs):
    if 'dest' in kwargs:
        return kwargs['dest']
    name = option_strings[0]
    for candidate in option_strings:
        if candidate.startswith('--'):
            name = candidate
            break
    return name.lstrip('-').replace('-', '_')


def make_parser_handler(categories):
    """The ``SubCommandOpt`` handler adding one sub-parser per category/command."""
    def add_command_parsers(subparsers):
        subparsers.add_parser('version', help='Show the version of this program')
        subparsers.add_parser('bash-completion',
                              help='Print the categories and commands, for shell completion')
        for category_name, category in categories.items():
            instance = category()
            instance.category_name = category_name
            category_parser = subparsers.add_parser(
                category_name, help=(inspect.getdoc(category) or '').split('\n')[0])
            actions = category_parser.add_subparsers(
                title='Commands', dest='action', metavar='<action>')
            actions.required = True
            for command_name, func in _commands(category):
                parser = actions.add_parser(command_name, help=_help_of(func),
                                            description=_help_of(func))
                kwarg_names = []
                for option_strings, kwargs in getattr(func, 'cli_args', []):
                    kwargs = dict(kwargs)
                    dest = _dest_of(option_strings, kwargs)
                    kwarg_names.append(dest)
                    if option_strings[0].startswith('-'):
                        kwargs['dest'] = _KWARG_PREFIX + dest
                        parser.add_argument(*option_strings, **kwargs)
                    else:
                        # Positional: argparse takes the dest from the first string.
                        kwargs.pop('dest', None)
                        kwargs.setdefault('metavar', option_strings[0].upper())
                        parser.add_argument(_KWARG_PREFIX + dest, **kwargs)
                parser.set_defaults(action_fn=getattr(instance, command_name),
                                    action_kwargs=kwarg_names)
    return add_command_parsers


def get_action(category_attr):
    """(bound command, keyword arguments) chosen on the command line."""
    fn = category_attr.action_fn
    kwargs = {}
    for name in category_attr.action_kwargs:
        kwargs[name] = getattr(category_attr, _KWARG_PREFIX + name)
    return fn, kwargs


def print_bash_completion(categories, category=None):
    """Print category names, or one category's command names, space separated."""
    if category and category in categories:
        print(' '.join(name for name, _ in _commands(categories[category])))
    else:
        print(' '.join(categories))


def mask_password(url):
    """Hide the password of a URL (``scheme://user:****@host``) for display."""
    if not url:
        return url
    return _PASSWORD_IN_URL.sub(r'\1:****@', url)


def table(field_names, rows, align=None):
    """A prettytable rendering, the format operators' scripts already parse."""
    output = prettytable.PrettyTable(field_names)
    if align:
        output.align = align
    for row in rows:
        output.add_row(list(row))
    return output.get_string()
