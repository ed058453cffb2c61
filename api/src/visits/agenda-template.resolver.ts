import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { badInput, notFound } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { validateList } from '../platform/graphql/validate-list.js';
import { AgendaTemplate, AgendaTemplateItem } from './agenda-template.entity.js';
import { AgendaItemInput } from './visit.input.js';
import { VisitType } from './visit.enums.js';

const TYPE_ORDER = Object.values(VisitType);

@Resolver(() => AgendaTemplate)
export class AgendaTemplateResolver {
  @Query(() => [AgendaTemplate], { description: 'The starting agenda of each visit type.' })
  async agendaTemplates(@Ctx() { em }: GraphQLContext) {
    const templates = await em.find(AgendaTemplate, {});
    return templates.sort((a, b) => TYPE_ORDER.indexOf(a.visitType) - TYPE_ORDER.indexOf(b.visitType));
  }

  @Mutation(() => AgendaTemplate, { description: "Replaces a visit type's agenda template (managers)." })
  async setAgendaTemplate(
    @Arg('visitType', () => VisitType) visitType: VisitType,
    @Arg('items', () => [AgendaItemInput], { validate: false }) items: AgendaItemInput[],
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() { em, access }: GraphQLContext,
  ) {
    await validateList(items, 'items');
    access.assertManager('change agenda templates');
    if (items.length === 0 || items.length > 40) throw badInput('A template has 1 to 40 items.', 'items');
    return em.fork().transactional(async (tx) => {
      const template = await (tx as Em).findOne(AgendaTemplate, { visitType });
      if (!template) throw notFound('AgendaTemplate', visitType);
      checkVersion(template, expectedVersion, 'agenda template');
      template.items = items.map((i) =>
        Object.assign(new AgendaTemplateItem(), {
          title: i.title.trim(),
          detail: i.detail?.trim() || null,
          ownerRole: i.ownerRole,
          minutes: i.minutes ?? null,
        }),
      );
      return template;
    });
  }
}
