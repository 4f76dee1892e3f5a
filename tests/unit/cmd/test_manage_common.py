"""nova-manage's small framework: commands declared on category classes become
argparse sub-parsers (options and positionals, dests kept apart from oslo.config's),
passwords hidden in URLs, counts, not-implemented commands, bash completion."""

import argparse

import pytest

from nova.cmd import manage_common


class Things(object):
    """Manage things."""

    @manage_common.args('--max-count', metavar='<n>', help='At most n')
    @manage_common.args('--verbose', action='store_true')
    @manage_common.args('name')
    def make(self, name, max_count=None, verbose=False):
        """Make a thing.

        More text nobody reads on the command line."""
        return name, max_count, verbose

    @manage_common.action_description('Remove every thing')
    def purge(self):
        """Not this line."""

    @manage_common.not_implemented
    def later(self):
        """Some day."""

    def _helper(self):
        pass


def _parse(argv):
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest='category')
    manage_common.make_parser_handler({'thing': Things})(subparsers)
    return parser.parse_args(argv)


def test_a_command_gets_its_arguments_by_name():
    parsed = _parse(['thing', 'make', 'box', '--max-count', '3', '--verbose'])
    fn, kwargs = manage_common.get_action(parsed)
    assert kwargs == {'name': 'box', 'max_count': '3', 'verbose': True}
    assert fn(**kwargs) == ('box', '3', True)
    # Stored apart from oslo.config's own options (debug, config_file...).
    assert not hasattr(parsed, 'verbose')


def test_a_command_is_required_and_private_methods_are_none():
    with pytest.raises(SystemExit):
        _parse(['thing'])
    with pytest.raises(SystemExit):
        _parse(['thing', '_helper'])
    assert [name for name, _ in manage_common._commands(Things)] == ['later', 'make', 'purge']


def test_help_texts():
    assert manage_common._help_of(Things.make) == 'Make a thing.'
    assert manage_common._help_of(Things.purge) == 'Remove every thing'


def test_a_command_not_built_yet_says_so(capsys):
    fn, kwargs = manage_common.get_action(_parse(['thing', 'later']))
    assert fn(**kwargs) == manage_common.NOT_IMPLEMENTED_EXIT
    assert capsys.readouterr().out == 'nova-manage thing later: not implemented in this release\n'


@pytest.mark.parametrize('text, count', [('5', 5), ('1', 1), ('0', None), ('-2', None),
                                         ('ten', None)])
def test_positive_count(text, count):
    assert manage_common.positive_count(text) == count


@pytest.mark.parametrize('url, shown', [
    ('mysql+pymysql://nova:secret@db/nova', 'mysql+pymysql://nova:****@db/nova'),
    ('rabbit://u1:p1@mq1:5672,u2:p2@mq2:5672/', 'rabbit://u1:****@mq1:5672,u2:****@mq2:5672/'),
    ('sqlite:////var/lib/nova.sqlite', 'sqlite:////var/lib/nova.sqlite'),
    (None, None)])
def test_passwords_are_hidden(url, shown):
    assert manage_common.mask_password(url) == shown


def test_bash_completion(capsys):
    manage_common.print_bash_completion({'thing': Things, 'db': object})
    manage_common.print_bash_completion({'thing': Things}, 'thing')
    assert capsys.readouterr().out == 'thing db\nlater make purge\n'


def test_tables_are_prettytable():
    text = manage_common.table(['Name', 'UUID'], [('cell1', 'u-1')], align={'Name': 'l'})
    assert '| Name  | UUID |' in text and '| cell1 | u-1  |' in text
