"""reported values, statuses, uploads, changes, sign-ins

Revision ID: 0001
Revises: 
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_status',
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('item_id')
    )
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ins_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_ins_user'), ['user'], unique=False)

    op.create_table('target_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('published', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('target_id', 'year', 'place', name='uq_value')
    )
    with op.batch_alter_table('target_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_values_target_id'), ['target_id'], unique=False)

    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=80), nullable=False),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=80), nullable=False),
    sa.Column('what', sa.String(length=10), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=40), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('undo_of', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['undo_of'], ['changes.id'], ),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_changes_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changes_item_id'))
        batch_op.drop_index(batch_op.f('ix_changes_at'))

    op.drop_table('changes')
    op.drop_table('uploads')
    with op.batch_alter_table('target_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_values_target_id'))

    op.drop_table('target_values')
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_ins_user'))
        batch_op.drop_index(batch_op.f('ix_sign_ins_at'))

    op.drop_table('sign_ins')
    op.drop_table('item_status')
